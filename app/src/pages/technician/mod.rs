pub mod today;
