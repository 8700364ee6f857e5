//! The languages shipped, and the checks on their translation files (`app/locales/<locale>.toml`):
//! every file has exactly the keys of the English one, each counted phrase has every plural form
//! its language uses, and a translator can list what is marked for review. Used by the build
//! script (a disagreement stops the build) and by `scripts/translations.sh`; plain Rust and
//! `toml`, nothing of the app's.

use std::collections::{BTreeMap, BTreeSet};

/// The shipped languages, English (the default, and the key set) first.
/// Urdu, written right to left, is a first translation that is marked for review as a whole.
pub const SHIPPED: &[&str] = &["en", "cy", "ur"];

/// The plural forms (CLDR cardinal categories) a counted phrase needs in each language.
pub fn plural_forms(locale: &str) -> &'static [&'static str] {
    match locale {
        // Welsh: 0 dim, 1 un, 2 dau/dwy, 3 tri/tair, 6 chwech, and the rest.
        "cy" => &["zero", "one", "two", "few", "many", "other"],
        _ => &["one", "other"],
    }
}

const ALL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// Each key of a translation file ("section.key"), with the plural forms found for it (empty
/// for a plain phrase).
pub fn keys(text: &str) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let table: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
    let mut out = BTreeMap::new();
    walk(&table, "", &mut out)?;
    Ok(out)
}

fn walk(table: &toml::Table, prefix: &str, out: &mut BTreeMap<String, BTreeSet<String>>) -> Result<(), String> {
    for (name, value) in table {
        let path = if prefix.is_empty() { name.clone() } else { format!("{prefix}.{name}") };
        match value {
            toml::Value::Table(inner) => walk(inner, &path, out)?,
            toml::Value::String(_) => {
                let (key, form) = split_plural(&path);
                let forms = out.entry(key).or_default();
                if let Some(form) = form {
                    forms.insert(form.to_string());
                }
            }
            _ => return Err(format!("{path}: a translation is text in quotes")),
        }
    }
    Ok(())
}

/// "visits_one" is the form "one" of "visits".
fn split_plural(path: &str) -> (String, Option<&'static str>) {
    for form in ALL_FORMS {
        if let Some(key) = path.strip_suffix(&format!("_{form}")) {
            return (key.to_string(), Some(form));
        }
    }
    (path.to_string(), None)
}

/// What is wrong across the files (the first is the key set), one line per problem; empty when
/// they agree.
pub fn compare(files: &[(&str, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for (locale, text) in files {
        match keys(text) {
            Ok(k) => parsed.push((*locale, k)),
            Err(e) => problems.push(format!("{locale}.toml: {e}")),
        }
    }
    let Some((base_locale, base)) = parsed.first() else { return problems };
    for (locale, found) in &parsed {
        for (key, forms) in found {
            if !base.contains_key(key) {
                problems.push(format!("{locale}.toml has {key}, which {base_locale}.toml does not"));
                continue;
            }
            let counted = !base[key].is_empty();
            if counted == forms.is_empty() {
                problems.push(format!("{locale}.toml: {key} is counted in one language and not in the other"));
            } else if counted {
                for form in plural_forms(locale) {
                    if !forms.contains(*form) {
                        problems.push(format!("{locale}.toml: {key} needs its \"{form}\" form ({key}_{form})"));
                    }
                }
            }
        }
        for key in base.keys() {
            if !found.contains_key(key) {
                problems.push(format!("{locale}.toml is missing {key}"));
            }
        }
    }
    problems
}

/// The keys marked for a translator's review: a comment line starting `# review` just above
/// the key, with the comment's words after it; or every key of a file whose first section
/// comes after a line `# review all: why`.
pub fn marked_for_review(text: &str) -> Vec<(String, String)> {
    let mut section = String::new();
    let mut pending: Option<String> = None;
    let mut every: Option<String> = None;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_string();
            pending = None;
        } else if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(why) = comment.strip_prefix("review all").filter(|_| section.is_empty()) {
                every = Some(why.trim_start_matches(':').trim().to_string());
            } else if let Some(why) = comment.strip_prefix("review") {
                pending = Some(why.trim_start_matches(':').trim().to_string());
            }
        } else if let Some((key, _)) = line.split_once('=') {
            if let Some(why) = pending.take().or_else(|| every.clone()) {
                let key = key.trim();
                out.push((if section.is_empty() { key.to_string() } else { format!("{section}.{key}") }, why));
            }
        } else if line.is_empty() {
            pending = None;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Vec<(&'static str, String)> {
        SHIPPED
            .iter()
            .map(|l| {
                (
                    *l,
                    std::fs::read_to_string(format!("{}/locales/{l}.toml", env!("CARGO_MANIFEST_DIR")))
                        .expect("a shipped language has a file"),
                )
            })
            .collect()
    }

    #[test]
    fn every_shipped_language_has_every_key_and_every_plural_form() {
        let files = shipped();
        assert!(files.len() >= 2 && files[0].0 == "en" && files.iter().any(|(l, _)| *l == "cy"));
        assert_eq!(compare(&files), Vec::<String>::new());
        assert!(keys(&files[0].1).unwrap().len() > 20, "the key set is read");
    }

    #[test]
    fn a_missing_key_a_stray_key_and_a_missing_welsh_form_are_each_named() {
        let en = "[a]\nx = \"X\"\ny = \"Y\"\nn_one = \"{{ count }} thing\"\nn_other = \"{{ count }} things\"\n".to_string();
        let all_forms = "n_zero = \"0\"\nn_one = \"1\"\nn_two = \"2\"\nn_few = \"3\"\nn_many = \"6\"\nn_other = \"n\"\n";
        let good = format!("[a]\nx = \"X\"\ny = \"Y\"\n{all_forms}");
        assert!(compare(&[("en", en.clone()), ("cy", good)]).is_empty());

        let missing = format!("[a]\nx = \"X\"\n{all_forms}");
        assert_eq!(compare(&[("en", en.clone()), ("cy", missing)]), vec!["cy.toml is missing a.y"]);

        let stray = format!("[a]\nx = \"X\"\ny = \"Y\"\nz = \"Z\"\n{all_forms}");
        assert_eq!(compare(&[("en", en.clone()), ("cy", stray)]), vec!["cy.toml has a.z, which en.toml does not"]);

        let no_two = "[a]\nx = \"X\"\ny = \"Y\"\nn_zero = \"0\"\nn_one = \"1\"\nn_few = \"3\"\nn_many = \"6\"\nn_other = \"n\"\n";
        assert_eq!(compare(&[("en", en.clone()), ("cy", no_two.to_string())]), vec!["cy.toml: a.n needs its \"two\" form (a.n_two)"]);

        let not_counted = "[a]\nx = \"X\"\ny = \"Y\"\nn = \"things\"\n";
        assert_eq!(
            compare(&[("en", en.clone()), ("cy", not_counted.to_string())]),
            vec!["cy.toml: a.n is counted in one language and not in the other"]
        );

        let broken = compare(&[("en", en), ("cy", "[a\nx = ".to_string())]);
        assert_eq!(broken.len(), 1);
        assert!(broken[0].starts_with("cy.toml: "), "{broken:?}");
    }

    #[test]
    fn a_file_marked_for_review_as_a_whole_lists_every_key() {
        let text = "# review all: a first translation\n\n[a]\nx = \"X\"\n# review: this one in particular\ny = \"Y\"\n[b]\nz = \"Z\"\n";
        let marked = marked_for_review(text);
        let keys: Vec<&str> = marked.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a.x", "a.y", "b.z"]);
        assert_eq!(marked[1].1, "this one in particular");
        assert_eq!(marked[2].1, "a first translation");
        // The shipped Urdu is all marked, every one of its keys.
        let urdu = std::fs::read_to_string(format!("{}/locales/ur.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let english = std::fs::read_to_string(format!("{}/locales/en.toml", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let count = |t: &str| t.lines().filter(|l| l.contains(" = \"") && !l.starts_with('#')).count();
        assert_eq!(marked_for_review(&urdu).len(), count(&urdu));
        assert_eq!(count(&urdu), count(&english));
    }

    #[test]
    fn review_marks_name_their_key_and_reason() {
        let text = "[a]\n# review: the term for a tablet\nx = \"llechen\"\ny = \"Y\"\n\n# review\n\nz = \"Z\"\n[b]\n# a note, not a review\n# review: mutation\nn_two = \"2\"\n";
        assert_eq!(
            marked_for_review(text),
            vec![("a.x".to_string(), "the term for a tablet".to_string()), ("b.n_two".to_string(), "mutation".to_string())]
        );
    }
}
