//! The command line: `server` serves; `server retention [--dry-run]`; `server create-organisation …`.

/// What was asked for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    Retention { dry_run: bool },
    CreateOrganisation { name: String, kind: String, admin_email: String, admin_name: String },
}

/// A mistake in the arguments (exit code 64, EX_USAGE).
#[derive(Debug, PartialEq, Eq)]
pub struct Usage(pub String);

pub const USAGE: &str = "usage:\n  server                      serve the app\n  server retention [--dry-run]\n  server create-organisation --name NAME --kind council|housing_association|charity --admin-email EMAIL --admin-name NAME";

pub fn parse(args: &[String]) -> Result<Command, Usage> {
    let Some(command) = args.first() else { return Ok(Command::Serve) };
    let rest = &args[1..];
    match command.as_str() {
        "retention" => match rest {
            [] => Ok(Command::Retention { dry_run: false }),
            [flag] if flag == "--dry-run" => Ok(Command::Retention { dry_run: true }),
            _ => Err(Usage(format!("unknown arguments to retention: {rest:?}"))),
        },
        "create-organisation" => {
            let mut values: [Option<String>; 4] = Default::default();
            const NAMES: [&str; 4] = ["--name", "--kind", "--admin-email", "--admin-name"];
            let mut i = 0;
            while i < rest.len() {
                let (flag, inline) = match rest[i].split_once('=') {
                    Some((f, v)) => (f.to_string(), Some(v.to_string())),
                    None => (rest[i].clone(), None),
                };
                let Some(slot) = NAMES.iter().position(|n| *n == flag) else {
                    return Err(Usage(format!("unknown argument {flag:?}")));
                };
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        rest.get(i).filter(|v| !v.starts_with("--")).cloned().ok_or_else(|| Usage(format!("{flag} needs a value")))?
                    }
                };
                if values[slot].replace(value).is_some() {
                    return Err(Usage(format!("{flag} given twice")));
                }
                i += 1;
            }
            let missing: Vec<&str> = NAMES.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(n, _)| *n).collect();
            if !missing.is_empty() {
                return Err(Usage(format!("missing {}", missing.join(", "))));
            }
            let [name, kind, admin_email, admin_name] = values.map(Option::unwrap_or_default);
            Ok(Command::CreateOrganisation { name, kind, admin_email, admin_name })
        }
        other => Err(Usage(format!("unknown command {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn commands_and_their_arguments() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(parse(&args(&["retention", "--dry-run"])), Ok(Command::Retention { dry_run: true }));
        let c = parse(&args(&[
            "create-organisation",
            "--name",
            "Riverside Council",
            "--kind=council",
            "--admin-email",
            "a@r.example",
            "--admin-name",
            "Priya Shah",
        ]));
        assert_eq!(
            c,
            Ok(Command::CreateOrganisation {
                name: "Riverside Council".into(),
                kind: "council".into(),
                admin_email: "a@r.example".into(),
                admin_name: "Priya Shah".into()
            })
        );
    }

    #[test]
    fn mistakes_say_what_is_wrong() {
        let e = parse(&args(&["create-organisation", "--name", "R", "--kind", "council"])).unwrap_err();
        assert_eq!(e.0, "missing --admin-email, --admin-name");
        let e = parse(&args(&["create-organisation", "--name", "--kind", "council"])).unwrap_err();
        assert_eq!(e.0, "--name needs a value");
        assert!(parse(&args(&["create-organisation", "--colour", "red"])).unwrap_err().0.contains("--colour"));
        assert!(parse(&args(&["create-organisation", "--name", "a", "--name", "b"])).unwrap_err().0.contains("twice"));
        assert!(parse(&args(&["retention", "now"])).is_err());
        assert!(parse(&args(&["serve"])).is_err());
    }
}
