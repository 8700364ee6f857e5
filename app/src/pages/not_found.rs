use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::error::AppError;
use crate::i18n::{td_string, use_i18n};
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    view! {
        <Title text=td_string!(locale, not_found.page_title)/>
        <PageProblem error=AppError::NotFound/>
        <p class="body"><a href="/" class="link">{td_string!(locale, not_found.home_link)}</a></p>
    }
}
