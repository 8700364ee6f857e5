//! Messages for pages that cannot show what was asked for.

use crate::error::AppError;
use leptos::prelude::*;

/// Explains an error that stops a whole page (not signed in, not allowed, missing, broken).
#[component]
pub fn PageProblem(error: AppError) -> impl IntoView {
    let (title, body) = match &error {
        AppError::Unauthenticated => ("Sign in to continue", error.to_string()),
        AppError::Forbidden => (
            "You cannot see this page",
            "Your account does not have permission to see this page. If you think it should, ask your organisation's administrator."
                .to_string(),
        ),
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

/// What a page of personal data that is written to the audit log shows to a GET (a link from
/// anywhere, a typed address, a reload): what it holds, and a button that opens it with a POST to
/// the same address, the query kept (see `server::auth::opened_by_post`).
#[component]
pub fn OpenAudited(heading: &'static str, what: &'static str, button: &'static str) -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let action = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    view! {
        <h1 class="heading-l">{heading}</h1>
        <p class="body">{what}</p>
        <p class="body">"Opening it is written to the audit log, with your name."</p>
        <form method="post" action=action class="form">
            <button type="submit" class="button">{button}</button>
        </form>
    }
}
