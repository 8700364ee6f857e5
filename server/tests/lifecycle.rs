//! The real binary: starts on an empty folder, creates and migrates its SQLite file (WAL),
//! seeds the demo accounts, answers /healthz and /readyz, and on SIGTERM drains (still serving,
//! /readyz saying so) and stops cleanly.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn the_server_starts_on_an_empty_folder_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data").join("mobilise.db");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .env("DATABASE_URL", format!("sqlite://{}?mode=rwc", db.display()))
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", dir.path())
        .env("LEPTOS_OUTPUT_NAME", "mobilise")
        .env("MOBILISE_DEMO", "1")
        .env("MOBILISE_LOG", "info")
        .env("MOBILISE_DRAIN_SECONDS", "2")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let started = Instant::now();
    let ready = loop {
        // While it starts, /readyz says 503 "starting"; then 200 "ready".
        if let Some(reply) = get(port, "/readyz") {
            if reply.starts_with("HTTP/1.1 200") {
                break reply;
            }
            assert!(reply.starts_with("HTTP/1.1 503") && reply.contains(r#""status":"starting""#), "{reply}");
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not start");
        if let Some(status) = child.try_wait().unwrap() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("the server exited early ({status}): {err}");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(ready.contains(r#""status":"ready""#), "{ready}");
    let health = get(port, "/healthz").unwrap();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains(r#""database":"ok""#), "{health}");
    assert!(db.exists(), "the database file is created, folder included");
    assert!(dir.path().join("data").join("mobilise.db-wal").exists(), "SQLite runs in WAL mode");
    let page = get(port, "/sign-in").unwrap();
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("Sign in to Mobilise"), "{page}");

    let term = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
    assert!(term.success());
    // Draining: not ready for new work, but what is still sent is served.
    std::thread::sleep(Duration::from_millis(300));
    let draining = get(port, "/readyz").unwrap();
    assert!(draining.starts_with("HTTP/1.1 503") && draining.contains(r#""status":"draining""#), "{draining}");
    let page = get(port, "/sign-in").unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "served while draining: {page}");
    let deadline = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    child.stdout.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(status.success(), "exit status {status}: {log}");
    assert!(log.contains("demo organisations and accounts created"), "{log}");
    assert!(log.contains("draining") && log.contains("shutting down") && log.contains("stopped"), "{log}");
}
