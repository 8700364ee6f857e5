//! Messages for pages that cannot show what was asked for.

use crate::error::AppError;
use leptos::prelude::*;

/// Explains an error that stops a whole page (not signed in, not allowed, missing, broken).
#[component]
pub fn PageProblem(error: AppError) -> impl IntoView {
    let (title, body) = match &error {
        AppError::Unauthenticated => ("Sign in to continue", error.to_string()),
        AppError::Forbidden => ("You cannot see this page", "Your account does not have permission to see this page. If you think it should, ask your organisation's administrator.".to_string()),
        AppError::NotFound => ("Page not found", error.to_string()),
        AppError::SecondFactorRequired => ("Set up two-step verification", error.to_string()),
        _ => ("Sorry, there is a problem", error.to_string()),
    };
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(error.status());
    }
    let sign_in = matches!(error, AppError::Unauthenticated);
    let second_factor = matches!(error, AppError::SecondFactorRequired);
    view! {
        <h1 class="heading-l">{title}</h1>
        <p class="body">{body}</p>
        {sign_in.then(|| view! { <p class="body"><a href="/sign-in" class="link">"Sign in"</a></p> })}
        {second_factor.then(|| view! { <p class="body"><a href="/account" class="link">"Set up two-step verification"</a></p> })}
    }
}

/// A green "success" banner (GOV.UK notification banner).
#[component]
pub fn SuccessBanner(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="banner banner--success" role="status" aria-labelledby="success-title">
            <h2 class="banner__title" id="success-title">{title}</h2>
            <div class="banner__content">{children()}</div>
        </div>
    }
}
