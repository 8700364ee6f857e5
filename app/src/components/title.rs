//! The document's `<title>`, set by each page.
//!
//! Every page says its own title and the suffix is added here, rather than by a `<Title
//! formatter>` at the root of the app: in the browser, the first `<Title>` to hydrate sets
//! `document.title` from what it knows at once, and a root one knows no page yet, so it blanked
//! the title until the page hydrated. With pages whose code arrives in a split chunk
//! (`crate::pages::lazy`), that was as long as the chunk took to come (issue 17).

use leptos::prelude::*;
use leptos::text_prop::TextProp;

/// The document title for a page's `<Title text=…>`, which is often someone's words (an idea's
/// title, an opportunity's). leptos_meta 0.8 writes the server-rendered `<title>` without
/// escaping it, so the server escapes it here; in the browser the text goes to
/// `document.title`, which takes it as text, so it is left as it is there.
pub fn page_title(title: String) -> String {
    let full = if title.trim().is_empty() { "Mobilise".to_string() } else { format!("{title} – Mobilise") };
    if cfg!(feature = "ssr") {
        crate::domain::validation::escape_html(&full)
    } else {
        full
    }
}

/// The page's title, shown as "<text> – Mobilise".
#[component]
pub fn Title(#[prop(into)] text: TextProp) -> impl IntoView {
    view! { <leptos_meta::Title text formatter=page_title/> }
}

#[cfg(test)]
mod tests {
    use super::page_title;

    #[test]
    fn a_page_title_names_the_page_then_the_product() {
        assert_eq!(page_title("Sign in".into()), "Sign in – Mobilise");
        assert_eq!(page_title("  ".into()), "Mobilise");
    }
}
