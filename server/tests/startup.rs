//! The server binary refuses bad configuration with a message naming it.

use std::process::Command;

fn start_with(vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .env_remove("DATABASE_URL")
        .env("DOORSTEP_ADDR", "127.0.0.1:0")
        .envs(vars.iter().copied())
        .output()
        .expect("run the server binary");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_bad_database_url_stops_the_start_with_exit_code_2() {
    let (code, stderr) = start_with(&[("DATABASE_URL", "mysql://root:pw@db/x")]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("configuration error: DATABASE_URL="),
        "{stderr}"
    );
    assert!(stderr.contains("sqlite:// or postgres://"), "{stderr}");
    assert!(!stderr.contains("pw@"), "password leaked: {stderr}");
}

#[test]
fn a_bad_address_and_a_bad_zone_are_named() {
    let (code, stderr) = start_with(&[("DOORSTEP_ADDR", "not-an-address")]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("DOORSTEP_ADDR=\"not-an-address\""),
        "{stderr}"
    );
    let (code, stderr) = start_with(&[("DOORSTEP_TIME_ZONE", "Shanghai")]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("DOORSTEP_TIME_ZONE"), "{stderr}");
}

#[test]
fn an_unreachable_database_fails_the_start_clearly() {
    // Port 1 on loopback: nothing listens there.
    let (code, stderr) = start_with(&[(
        "DATABASE_URL",
        "postgres://postgres:secret@127.0.0.1:1/none?connect_timeout=2",
    )]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot connect to postgres://postgres:***@127.0.0.1:1"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret"), "password leaked: {stderr}");
}
