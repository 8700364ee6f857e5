//! Moving keyboard focus where a person needs it next: to a field from the error summary, to
//! a form that has just opened.

use leptos::prelude::*;

/// A click handler for in-page links (`#id`): moves keyboard focus to the target, as the GOV.UK
/// error summary and skip link do. Without it the router would treat `#id` as a navigation, and
/// browsers only scroll, leaving focus behind. Without JavaScript the plain link still scrolls.
pub fn focus_on_click(id: String) -> impl Fn(leptos::ev::MouseEvent) + Clone + 'static {
    move |ev| {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
            ev.prevent_default();
            let _ = el.focus();
        }
    }
}

/// Moves keyboard focus to element `id` once it is on the page: a form that has just opened in
/// place of the button that opened it, so focus is not left on nothing.
pub fn focus_when_shown(id: String) {
    request_animation_frame(move || {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}
