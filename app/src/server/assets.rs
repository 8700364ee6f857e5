//! The app's own files under `/pkg/`: what they are called and how long a browser may keep them.
//!
//! The release build names each file after a hash of its contents (`hash-files` in Cargo.toml):
//! `mobilise.<hash>.wasm`, `chunk_8.<hash>.wasm`, `__wasm_split.<hash>.js`. cargo-leptos writes
//! the hashes of the main files to `hash.txt` beside the server. A file with a hash in its name
//! never changes, so browsers (and the service worker, `public/sw.js`) keep it for good; any
//! other file is checked with the server each time it is used.

use leptos::config::LeptosOptions;
use std::path::PathBuf;
use std::sync::OnceLock;

/// cargo-leptos's hashes are MD5 digests in unpadded URL-safe base64: 22 characters.
const HASH_LEN: usize = 22;

/// `Cache-Control` for a file everyone gets alike (`/pkg/`, icons, the web manifest).
pub fn cache_control(path: &str) -> &'static str {
    if is_content_hashed(path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

/// Whether a path is a `/pkg/` file named after its contents: `<stem>.<22-character hash>.<ext>`.
/// cargo-leptos's placeholder (`__wasm_split.______________________.js`, a build without
/// hashes) is not a hash.
pub fn is_content_hashed(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else { return false };
    if name.contains('/') {
        return false;
    }
    let mut parts = name.rsplit('.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else { return false };
    !stem.is_empty()
        && matches!(ext, "js" | "wasm" | "css" | "json")
        && hash.len() == HASH_LEN
        && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !hash.bytes().all(|b| b == b'_')
}

/// The hash of one kind of file (`js`, `wasm`, `css`, `manifest`, `split`) in `hash.txt`.
pub fn hash_of<'a>(hash_txt: &'a str, kind: &str) -> Option<&'a str> {
    hash_txt
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(k, _)| k.trim() == kind)
        .map(|(_, h)| h.trim())
        .filter(|h| !h.is_empty())
}

/// Where cargo-leptos leaves `hash.txt`: beside the server binary (as Leptos reads it).
pub fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

/// The stylesheet's address, worked out once: `/pkg/mobilise.<hash>.css` in a build with hashed
/// names, `/pkg/mobilise.css` otherwise.
pub fn stylesheet_href(options: &LeptosOptions) -> &'static str {
    static HREF: OnceLock<String> = OnceLock::new();
    HREF.get_or_init(|| {
        let hashes = if options.hash_files { hash_file(options).and_then(|path| std::fs::read_to_string(path).ok()) } else { None };
        let name = &options.output_name;
        let pkg = &options.site_pkg_dir;
        match hashes.as_deref().and_then(|text| hash_of(text, "css")) {
            Some(hash) => format!("/{pkg}/{name}.{hash}.css"),
            None => format!("/{pkg}/{name}.css"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_named_after_their_contents_are_kept_for_good() {
        for path in [
            "/pkg/mobilise.Vv1XyB3kTgD0c9kKk0Q0aw.wasm",
            "/pkg/mobilise.Vv1XyB3kTgD0c9kKk0Q0aw.js",
            "/pkg/chunk_12.AbCdEfGhIjKlMnOpQrStU-.wasm",
            "/pkg/__wasm_split.AbCdEfGhIjKlMnOpQrSt_u.js",
            "/pkg/mobilise.AbCdEfGhIjKlMnOpQrStUv.css",
        ] {
            assert!(is_content_hashed(path), "{path}");
            assert_eq!(cache_control(path), "public, max-age=31536000, immutable");
        }
    }

    #[test]
    fn anything_else_is_checked_each_time() {
        for path in [
            "/pkg/mobilise.wasm",
            "/pkg/mobilise.css",
            "/pkg/chunk_12.wasm",
            "/pkg/__wasm_split.______________________.js",
            "/pkg/mobilise.AbCdEfGhIjKlMnOpQrStU.wasm",   // 21 characters
            "/pkg/mobilise.AbCdEfGhIjKlMnOpQrStUvW.wasm", // 23
            "/pkg/mobilise.AbCdEfGhIjKlMnOpQrSt%u.wasm",  // not base64url
            "/pkg/.AbCdEfGhIjKlMnOpQrStUv.wasm",          // no stem
            "/pkg/mobilise.AbCdEfGhIjKlMnOpQrStUv.html",  // not one of ours
            "/pkg/snippets/x.AbCdEfGhIjKlMnOpQrStUv.js",  // a folder
            "/icons/icon.AbCdEfGhIjKlMnOpQrStUv.png",
            "/manifest.webmanifest",
        ] {
            assert!(!is_content_hashed(path), "{path}");
            assert_eq!(cache_control(path), "no-cache");
        }
    }

    #[test]
    fn hash_txt_is_read_by_kind() {
        let text = "js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: CCCCCCCCCCCCCCCCCCCCCC\nmanifest: DDDDDDDDDDDDDDDDDDDDDD\nsplit: EEEEEEEEEEEEEEEEEEEEEE\n";
        assert_eq!(hash_of(text, "css"), Some("CCCCCCCCCCCCCCCCCCCCCC"));
        assert_eq!(hash_of(text, "split"), Some("EEEEEEEEEEEEEEEEEEEEEE"));
        assert_eq!(hash_of(text, "png"), None);
        assert_eq!(hash_of("css:\n", "css"), None);
    }
}
