//! Staff write consultation backgrounds in Markdown; residents get it as sanitised HTML: no
//! scripts, styles, images from elsewhere or raw HTML survive, and links cannot open a window
//! that can reach back into the page.

/// Markdown → safe HTML.
pub fn to_safe_html(markdown: &str) -> String {
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    // The page already has its h1 and the "Background" h2: the text's headings start at h3.
    let shift = |level: HeadingLevel| match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    let parser =
        pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
            .map(move |event| match event {
                Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                    Event::Start(Tag::Heading { level: shift(level), id, classes, attrs })
                }
                Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
                other => other,
            });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default()
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(["http", "https", "mailto", "tel"].into_iter().collect())
        .clean(&html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn formatting_survives_and_anything_active_does_not() {
        let html = to_safe_html("## Why\n\nThe **park** needs [work](https://example.org).\n\n- one\n- two");
        assert!(html.contains("<h3>Why</h3>") && html.contains("<strong>park</strong>") && html.contains("<li>one</li>"), "{html}");
        assert!(html.contains(r#"rel="noopener noreferrer""#), "{html}");
        let html = to_safe_html("<script>alert(1)</script><p onclick=\"x()\">hi</p><img src=x onerror=y>\n\n[bad](javascript:alert(1))");
        assert!(!html.contains("<script") && !html.contains("onclick") && !html.contains("<img") && !html.contains("onerror"), "{html}");
        assert!(html.contains("bad") && !html.contains("href=\"javascript"), "the link's words stay, its script does not: {html}");
    }
}
