//! The language switch on every page: a plain form that posts to `/language` and comes back to
//! the same page, so it works without JavaScript. Each language is named in itself, marked with
//! its own `lang` so a screen reader says it right.

use super::{choice, page_locale};
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let location = use_location();
    let back = move || {
        let search = location.search.try_get().unwrap_or_default();
        if search.is_empty() {
            location.pathname.try_get().unwrap_or_default()
        } else {
            format!("{}?{search}", location.pathname.try_get().unwrap_or_default())
        }
    };
    let here = page_locale();
    view! {
        <form method="post" action="/language" class="language-switch" aria-label=td_string!(here, language.switch_label)>
            <input type="hidden" name="back" prop:value=back value=back/>
            <ul class="language-switch__list">
                {choice::all().iter().copied().map(|locale| {
                    let name = choice::own_name(locale);
                    let lang = choice::html_lang(locale);
                    // Each name in its own direction, whatever the page's.
                    let dir = if choice::right_to_left(locale) { "rtl" } else { "ltr" };
                    if locale == here {
                        view! {
                            <li><span class="language-switch__current" lang=lang dir=dir aria-current="true">{name}</span></li>
                        }.into_any()
                    } else {
                        view! {
                            <li><button type="submit" name="lang" value=choice::code(locale) class="language-switch__button" lang=lang dir=dir>{name}</button></li>
                        }.into_any()
                    }
                }).collect_view()}
            </ul>
        </form>
    }
}
