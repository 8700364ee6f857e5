//! The HTML shell and the routes; who is signed in is `session`.

use crate::components::layout::Layout;
use crate::offline::Device;
use crate::pages::outreach::{
    consult::ConsultPage,
    events::{EventPage, EventsPage},
    follow_ups::FollowUpsPage,
    ConversationPage, DoorstepPage, OutreachOnly, OutreachPage,
};
use crate::pages::{home::HomePage, lazy, not_found::NotFound, sign_in::SignInPage, sign_in_code::SignInCodePage};
use crate::session::Session;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy, SsrMode,
};

/// Whether this page goes without the app's scripts: decided per request before rendering, by
/// `server::plain_pages` (residents get plain pages whose forms post without JavaScript).
fn without_wasm() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>().is_some_and(|parts| parts.extensions.get::<crate::server::plain_pages::PlainPage>().is_some())
    }
    #[cfg(not(feature = "ssr"))]
    false
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let light = without_wasm();
    let locale = crate::language::page_locale();
    let (lang, dir) =
        (crate::language::choice::html_lang(locale), if crate::language::choice::right_to_left(locale) { "rtl" } else { "ltr" });
    // The page's policy goes in its header and, first in its head, in a <meta>: the page keeps
    // its policy (and its scripts, which carry the nonce, keep working) whatever happens to the
    // header on the way.
    #[cfg(feature = "ssr")]
    let policy = leptos::nonce::use_nonce().map(|nonce| {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            if let Ok(value) = http::HeaderValue::from_str(&crate::server::security::page_csp(&nonce)) {
                res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
            }
        }
        crate::server::security::page_csp_meta(&nonce)
    });
    #[cfg(not(feature = "ssr"))]
    let policy: Option<String> = None;
    // Named after its contents in a release build (see `server::assets`).
    #[cfg(feature = "ssr")]
    let stylesheet = crate::server::assets::stylesheet_href(&options);
    #[cfg(not(feature = "ssr"))]
    let stylesheet = "/pkg/mobilise.css";
    view! {
        <!DOCTYPE html>
        <html lang=lang dir=dir>
            <head>
                <meta charset="utf-8"/>
                {policy.map(|content| view! { <meta http-equiv="Content-Security-Policy" content=content/> })}
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4f91"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <link rel="stylesheet" href=stylesheet/>
                {(!light).then(|| view! { <HydrationScripts options/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::language::provide();
    // The service worker lets outreach pages open with no signal. (Effects run only in the
    // browser. The page is marked interactive by `frontend` once hydration is over.)
    Effect::new(|_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window().navigator().service_worker().register("/sw.js");
        }
    });
    view! {
        <Router>
            <Frame/>
        </Router>
    }
}

/// Everything inside the router. Actions that forms post to are created inside the routes, so
/// a form posted without JavaScript finds its error again after the redirect.
#[component]
fn Frame() -> impl IntoView {
    let Session { user } = Session::provide();
    // The tablet's records for whoever is signed in.
    let device = Device::provide();
    Effect::new(move |_| {
        if let Some(Ok(Some(u))) = user.get() {
            if u.role.can_do_outreach() {
                device.start(u.id);
            }
        }
    });
    view! {
        <Layout>
            // Async rendering: the whole page, with its data and the right status code, in one
            // response. Streamed Suspense would need JavaScript to show its content.
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in/code") view=SignInCodePage ssr=SsrMode::Async/>
                <Route path=path!("/forgot-password") view={Lazy::<lazy::ForgotPassword>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/register") view={Lazy::<lazy::Register>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/email/unsubscribe/:token") view={Lazy::<lazy::Unsubscribe>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/email/confirm/:token") view={Lazy::<lazy::ConfirmAddress>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/verify-email") view={Lazy::<lazy::ResendVerification>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/verify-email/:token") view={Lazy::<lazy::VerifyEmail>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/reset-password/:token") view={Lazy::<lazy::ResetPassword>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/account") view={Lazy::<lazy::Account>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff") view={Lazy::<lazy::Staff>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/partners") view={Lazy::<lazy::Partners>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/partners/join") view={Lazy::<lazy::JoinPartners>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/referrals") view={Lazy::<lazy::Referrals>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/community") view={Lazy::<lazy::CommunityResponses>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/community/open") view={Lazy::<lazy::OpenResponse>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/together/:id") view={Lazy::<lazy::Together>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/consultations") view={Lazy::<lazy::Consultations>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/consultations/:id") view={Lazy::<lazy::Consultation>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/consultations/:id/ideas/:pid") view={Lazy::<lazy::Idea>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/manage/moderation") view={Lazy::<lazy::Moderation>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/manage/consultations/:id/results") view={Lazy::<lazy::Results>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/manage/consultations") view={Lazy::<lazy::ManageConsultations>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/manage/consultations/:id") view={Lazy::<lazy::ManageConsultation>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/intelligence") view={Lazy::<lazy::Intelligence>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/privacy") view={Lazy::<lazy::Privacy>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/privacy/audit") view={Lazy::<lazy::AuditLog>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/privacy/retention") view={Lazy::<lazy::Retention>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/privacy/mail") view={Lazy::<lazy::MailLog>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/my-data") view={Lazy::<lazy::MyData>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/privacy/residents/:id") view={Lazy::<lazy::ResidentRecords>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/volunteer") view={Lazy::<lazy::Volunteer>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/volunteer/profile") view={Lazy::<lazy::VolunteerProfile>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/volunteer/interests") view={Lazy::<lazy::MyInterests>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/volunteer/:id") view={Lazy::<lazy::Opportunity>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/what-you-can-do") view={Lazy::<lazy::WhatYouCanDo>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/manage/guidance") view={Lazy::<lazy::ManageGuidance>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/manage/opportunities") view={Lazy::<lazy::ManageOpportunities>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/manage/opportunities/:id") view={Lazy::<lazy::ManageOpportunity>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/invite/:token") view={Lazy::<lazy::Invite>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/outreach") view=|| view! { <OutreachOnly><OutreachPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/doorstep") view=|| view! { <OutreachOnly><DoorstepPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/conversation") view=|| view! { <OutreachOnly><ConversationPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/events") view=|| view! { <OutreachOnly><EventsPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/events/:id") view=|| view! { <OutreachOnly><EventPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/follow-ups") view=|| view! { <OutreachOnly><FollowUpsPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/consultations") view=|| view! { <OutreachOnly><ConsultPage/></OutreachOnly> } ssr=SsrMode::Async/>
            </Routes>
        </Layout>
    }
}
