//! The production set-up step, run as an operator would: `server create-organisation` on a fresh
//! database in production mode.

use std::process::{Command, Output};

fn run(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .env("DATABASE_URL", format!("sqlite://{}?mode=rwc", dir.join("mobilise.db").display()))
        .env("MOBILISE_ENV", "production")
        .env("MOBILISE_PUBLIC_ORIGIN", "https://mobilise.riverside.example")
        .env("MOBILISE_MAIL_FROM", "Riverside Council <no-reply@riverside.example>")
        // Kept as files on purpose here (the SMTP path is tested against a real server in app's tests).
        .env("MOBILISE_MAIL_DIR", dir.join("mail"))
        .env("MOBILISE_LOG", "warn")
        .env_remove("MOBILISE_SMTP_URL")
        .env_remove("MOBILISE_DEMO")
        .output()
        .unwrap()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[test]
fn an_operator_creates_the_organisation_and_its_first_administrator_who_is_emailed_an_invitation() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "create-organisation",
        "--name",
        "Riverside Borough Council",
        "--kind",
        "council",
        "--admin-email",
        "Priya@Riverside.example",
        "--admin-name",
        "Priya Shah",
    ];
    let out = run(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("organisation created"), "{stdout}");
    assert!(stdout.contains("invitation sent"), "{stdout}");
    let link =
        stdout.lines().find_map(|l| l.split_whitespace().find(|w| w.starts_with("https://"))).expect("the link is printed").to_string();
    assert!(link.starts_with("https://mobilise.riverside.example/invite/"), "{link}");

    let mail: Vec<_> = std::fs::read_dir(dir.path().join("mail")).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(mail.len(), 1);
    let eml = std::fs::read_to_string(&mail[0]).unwrap();
    assert!(eml.contains("To: \"Priya Shah\" <priya@riverside.example>"), "{eml}");
    assert!(eml.contains("From: \"Riverside Council\" <no-reply@riverside.example>"), "{eml}");
    let token = link.rsplit('/').next().unwrap();
    assert!(eml.replace("=\r\n", "").contains(token), "the emailed link is the printed one");

    // The same address again: refused, nothing else made.
    let again = run(
        dir.path(),
        &[
            "create-organisation",
            "--name",
            "Hillside",
            "--kind",
            "charity",
            "--admin-email",
            "priya@riverside.example",
            "--admin-name",
            "P",
        ],
    );
    assert_eq!(again.status.code(), Some(65), "{}", text(&again.stderr));
    assert!(text(&again.stderr).contains("--admin-email: an account with this email address already exists"), "{}", text(&again.stderr));
    assert_eq!(std::fs::read_dir(dir.path().join("mail")).unwrap().count(), 1);
}

#[test]
fn bad_or_missing_arguments_are_named_with_their_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["create-organisation", "--name", "Riverside", "--kind", "council"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(text(&out.stderr).contains("missing --admin-email, --admin-name"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("usage:"));

    let out = run(
        dir.path(),
        &["create-organisation", "--name", "Riverside", "--kind", "club", "--admin-email", "not-an-address", "--admin-name", "P"],
    );
    assert_eq!(out.status.code(), Some(65));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("--kind: must be council, housing_association or charity"), "{stderr}");
    assert!(stderr.contains("--admin-email:"), "{stderr}");

    let out = run(dir.path(), &["make-tea"]);
    assert_eq!(out.status.code(), Some(64));
}
