//! Pure rules of the service standard: no I/O, no framework types, compiled
//! for both the server and the browser.

/// A closed set of values stored and sent as snake_case text: `as_str`,
/// `parse` and `ALL` come from one list, so the SQL CHECK lists, the JSON
/// and the code cannot drift apart silently.
macro_rules! text_enum {
    ($(#[$doc:meta])* pub enum $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(value: &str) -> Option<$name> {
                match value {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

pub mod admin;
pub mod arrival;
pub mod assignment;
pub mod audit;
pub mod auth;
pub mod callback;
pub mod charges;
pub mod checklist;
pub mod complaint;
pub mod complaint_clock;
pub mod conflict;
pub mod dashboard;
pub mod device_clock;
pub mod ids;
pub mod insight;
pub mod metrics;
pub mod photo;
pub mod planning;
pub mod record;
pub mod signoff;
pub mod technician;
pub mod time;
pub mod validation;
pub mod visit;
pub mod work_order;
