use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::error::AppError;
use crate::i18n::td_string;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <Title text=td_string!(locale, not_found.page_title)/>
        <PageProblem error=AppError::NotFound/>
        <p class="body"><a href="/" class="link">{td_string!(locale, not_found.home_link)}</a></p>
    }
}
