//! The HTML shell, the routes and the state every page shares (who is signed in).

use crate::api::auth::who_am_i;
use crate::api::CurrentUser;
use crate::components::layout::Layout;
use crate::error::AppError;
use crate::pages::{home::HomePage, invite::InvitePage, not_found::NotFound, sign_in::SignInPage, staff::StaffPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(value) = http::HeaderValue::from_str(&crate::server::security::page_csp(&nonce)) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4f91"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Who is signed in, shared by every page. Fetched again on every navigation, so signing in or
/// out (which navigate) and a deactivated account are reflected straight away.
#[derive(Clone, Copy)]
pub struct Session {
    pub user: Resource<Result<Option<CurrentUser>, AppError>>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser: this marks the page as interactive (used by the
    // end-to-end tests and by CSS that hides controls which need JavaScript).
    Effect::new(|_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/mobilise.css"/>
        <Title formatter=|title: String| if title.is_empty() { "Mobilise".to_string() } else { format!("{title} – Mobilise") }/>
        <Router>
            <Frame/>
        </Router>
    }
}

/// Everything inside the router. Actions that forms post to are created inside the routes, so
/// a form posted without JavaScript finds its error again after the redirect.
#[component]
fn Frame() -> impl IntoView {
    let location = use_location();
    let user = Resource::new(move || location.pathname.get(), |_| who_am_i());
    provide_context(Session { user });
    view! {
        <Layout>
            // Async rendering: the whole page, with its data and the right status code, in one
            // response. Streamed Suspense would need JavaScript to show its content.
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/staff") view=StaffPage ssr=SsrMode::Async/>
                <Route path=path!("/invite/:token") view=InvitePage ssr=SsrMode::Async/>
            </Routes>
        </Layout>
    }
}
