//! The translations: `locales/<locale>.toml`, one file per language, turned into the `i18n`
//! module (`crate::i18n`) whose keys the compiler checks. A key missing from any shipped
//! language, or one that only a translation has, stops the build here, naming both.

use leptos_i18n_build::{Config, FileFormat, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

#[path = "src/language/keys.rs"]
#[allow(dead_code)] // `marked_for_review` is for the translators' script and the tests
mod keys;
#[path = "build/messages.rs"]
mod messages;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/language/keys.rs");
    println!("cargo::rerun-if-changed=build/messages.rs");
    println!("cargo::rerun-if-changed=locales");

    let mut files = Vec::new();
    for locale in keys::SHIPPED {
        let path = format!("locales/{locale}.toml");
        println!("cargo::rerun-if-changed={path}");
        files.push((*locale, std::fs::read_to_string(&path)?));
    }
    let problems = keys::compare(&files);
    if !problems.is_empty() {
        return Err(format!("the translations disagree:\n  {}", problems.join("\n  ")).into());
    }

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("no OUT_DIR")?);
    messages::generate(&files[0].1, &out_dir)?;
    let out = out_dir.join("i18n");
    let mut cfg = Config::new(keys::SHIPPED[0])?;
    for locale in &keys::SHIPPED[1..] {
        cfg = cfg.add_locale(locale)?;
    }
    // `interpolate_display`: the server also writes translated text outside views (mail, CSV).
    let cfg = cfg.parse_options(ParseOptions::default().file_format(FileFormat::Toml).interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
