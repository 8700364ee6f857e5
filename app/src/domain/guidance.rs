//! "What you can do": short self-help guidance an organisation keeps for each theme. Things a
//! resident can do themselves, one per line, and the local groups and contacts that help. A
//! worker reads it out at the door (offline: it travels with the tablet's lists) and adds a step
//! to the resident's "you can…" in one tap; residents read it on the public pages.

use super::validation::FieldErrors;
use super::{Label, Msg};
use serde::{Deserialize, Serialize};

/// Most steps one theme's guidance holds: what a worker can read out on a doorstep.
pub const MAX_STEPS: usize = 8;
/// Longest step, in characters (well within a commitment's length, so any step can become one).
pub const MAX_STEP_LEN: usize = 200;
// Every step can become a commitment.
const _: () = assert!(MAX_STEP_LEN <= super::commitment::MAX_COMMITMENT_LEN);
/// Longest "who can help" text, in characters.
pub const MAX_HELP_LEN: usize = 1_000;

/// One theme's guidance, as tablets and pages get it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guidance {
    pub theme_id: String,
    /// Things a resident can do themselves, in the order they are offered.
    pub steps: Vec<String>,
    /// Local groups, opportunities and contacts that help (plain text).
    pub help: String,
}

/// The form an admin fills in for one theme: the steps typed one per line.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuidanceForm {
    pub theme_id: String,
    #[serde(default)]
    pub steps: String,
    #[serde(default)]
    pub help: String,
}

impl GuidanceForm {
    /// The guidance, or every problem by field. Blank lines are dropped, each step trimmed;
    /// nothing at all means the theme has no guidance.
    pub fn parse(&self) -> Result<Guidance, FieldErrors> {
        let mut e = FieldErrors::new();
        let steps: Vec<String> =
            self.steps.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
        if steps.len() > MAX_STEPS {
            e.add("steps", Msg::TooManySteps { count: MAX_STEPS as u64 });
        } else if let Some(n) = steps.iter().position(|s| s.chars().count() > MAX_STEP_LEN) {
            e.add("steps", Msg::LineTooLong { n: n as i64 + 1, max: MAX_STEP_LEN as i64 });
        }
        let help = self.help.trim().to_string();
        if help.chars().count() > MAX_HELP_LEN {
            e.add("help", Msg::TooLong { what: Label::WhoCanHelp, max: MAX_HELP_LEN as i64 });
        }
        e.into_result()?;
        Ok(Guidance { theme_id: self.theme_id.clone(), steps, help })
    }
}

impl Guidance {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.help.is_empty()
    }

    /// The steps as the admin's box shows them: one per line.
    pub fn steps_text(&self) -> String {
        self.steps.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(steps: &str, help: &str) -> GuidanceForm {
        GuidanceForm { theme_id: "theme-damp".into(), steps: steps.into(), help: help.into() }
    }

    fn fields(f: &GuidanceForm) -> Vec<String> {
        f.parse().err().map(|e| e.iter().map(|e| e.field.clone()).collect()).unwrap_or_default()
    }

    #[test]
    fn steps_are_one_per_line_trimmed_with_blank_lines_dropped() {
        let g = form("  Open the window an hour a day \r\n\n\tWipe   condensation each morning\n", "  Mill Ward Tenants meet on Tuesdays ")
            .parse()
            .unwrap();
        assert_eq!(g.steps, ["Open the window an hour a day", "Wipe condensation each morning"]);
        assert_eq!(g.help, "Mill Ward Tenants meet on Tuesdays");
        assert_eq!(g.steps_text(), "Open the window an hour a day\nWipe condensation each morning");
        assert!(form(" \n ", " ").parse().unwrap().is_empty(), "nothing typed: no guidance");
    }

    #[test]
    fn steps_and_help_are_bounded_and_the_long_line_is_named() {
        let nine = (1..=MAX_STEPS + 1).map(|n| format!("Step {n}")).collect::<Vec<_>>().join("\n");
        assert_eq!(fields(&form(&nine, "")), ["steps"]);
        let eight = (1..=MAX_STEPS).map(|n| format!("Step {n}")).collect::<Vec<_>>().join("\n");
        assert!(form(&eight, "").parse().is_ok());
        let long = format!("Fine\n{}", "é".repeat(MAX_STEP_LEN + 1));
        let e = form(&long, "").parse().unwrap_err();
        assert!(e.iter().any(|e| e.field == "steps" && e.message.to_string().starts_with("Line 2 ")), "{e:?}");
        assert!(form(&"é".repeat(MAX_STEP_LEN), "").parse().is_ok(), "characters, not bytes");
        assert_eq!(fields(&form("Fine", &"x".repeat(MAX_HELP_LEN + 1))), ["help"]);
    }
}
