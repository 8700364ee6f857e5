use crate::components::status::PageProblem;
use crate::components::title::Title;
use crate::error::AppError;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Page not found"/>
        <PageProblem error=AppError::NotFound/>
        <p class="body"><a href="/" class="link">"Go to the home page"</a></p>
    }
}
