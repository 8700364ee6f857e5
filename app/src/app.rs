//! The HTML shell and the routes; who is signed in is `session`.

use crate::components::layout::Layout;
use crate::offline::Device;
use crate::pages::confirm_address::ConfirmAddressPage;
use crate::pages::consultations::{ConsultationPage, ConsultationsPage};
use crate::pages::ideas::IdeaPage;
use crate::pages::intelligence::IntelligencePage;
use crate::pages::mail::MailLogPage;
use crate::pages::manage_consultations::{ManageConsultationPage, ManageConsultationsPage};
use crate::pages::manage_opportunities::{ManageOpportunitiesPage, ManageOpportunityPage};
use crate::pages::moderation::ModerationPage;
use crate::pages::outreach::{
    consult::ConsultPage,
    events::{EventPage, EventsPage},
    follow_ups::FollowUpsPage,
    DoorstepPage, OutreachOnly, OutreachPage,
};
use crate::pages::partners::{JoinPartnersPage, PartnersPage};
use crate::pages::password_reset::{ForgotPasswordPage, ResetPasswordPage};
use crate::pages::privacy::{AuditLogPage, MyDataPage, PrivacyPage, ResidentRecordsPage, RetentionPage};
use crate::pages::register::{RegisterPage, ResendVerificationPage, VerifyEmailPage};
use crate::pages::results::ResultsPage;
use crate::pages::unsubscribe::UnsubscribePage;
use crate::pages::volunteering::{MyInterestsPage, OpportunityPage, VolunteerPage, VolunteerProfilePage};
use crate::pages::{account::AccountPage, sign_in_code::SignInCodePage};
use crate::pages::{home::HomePage, invite::InvitePage, not_found::NotFound, sign_in::SignInPage, staff::StaffPage};
use crate::session::Session;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
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
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8"/>
                {policy.map(|content| view! { <meta http-equiv="Content-Security-Policy" content=content/> })}
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#1d4f91"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                {(!light).then(|| view! { <HydrationScripts options/> })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The document title for a page's `<Title text=…>`, which is often someone's words (an idea's
/// title, an opportunity's). leptos_meta 0.8 writes the server-rendered `<title>` without
/// escaping it, so the server escapes it here; in the browser the text goes to
/// `document.title`, which takes it as text, so it is left as it is there.
pub fn page_title(title: String) -> String {
    let full = if title.trim().is_empty() { "Mobilise".to_string() } else { format!("{title} – Mobilise") };
    if cfg!(feature = "ssr") {
        crate::domain::validation::escape_html(&full)
    } else {
        full
    }
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
        // The service worker lets outreach pages open with no signal.
        #[cfg(feature = "hydrate")]
        {
            let _ = window().navigator().service_worker().register("/sw.js");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/mobilise.css"/>
        <Title formatter=page_title/>
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
                <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                <Route path=path!("/email/unsubscribe/:token") view=UnsubscribePage ssr=SsrMode::Async/>
                <Route path=path!("/email/confirm/:token") view=ConfirmAddressPage ssr=SsrMode::Async/>
                <Route path=path!("/verify-email") view=ResendVerificationPage ssr=SsrMode::Async/>
                <Route path=path!("/verify-email/:token") view=VerifyEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/reset-password/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/staff") view=StaffPage ssr=SsrMode::Async/>
                <Route path=path!("/partners") view=PartnersPage ssr=SsrMode::Async/>
                <Route path=path!("/partners/join") view=JoinPartnersPage ssr=SsrMode::Async/>
                <Route path=path!("/consultations") view=ConsultationsPage ssr=SsrMode::Async/>
                <Route path=path!("/consultations/:id") view=ConsultationPage ssr=SsrMode::Async/>
                <Route path=path!("/consultations/:id/ideas/:pid") view=IdeaPage ssr=SsrMode::Async/>
                <Route path=path!("/manage/moderation") view=ModerationPage ssr=SsrMode::Async/>
                <Route path=path!("/manage/consultations/:id/results") view=ResultsPage ssr=SsrMode::Async/>
                <Route path=path!("/manage/consultations") view=ManageConsultationsPage ssr=SsrMode::Async/>
                <Route path=path!("/manage/consultations/:id") view=ManageConsultationPage ssr=SsrMode::Async/>
                <Route path=path!("/intelligence") view=IntelligencePage ssr=SsrMode::Async/>
                <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async/>
                <Route path=path!("/privacy/audit") view=AuditLogPage ssr=SsrMode::Async/>
                <Route path=path!("/privacy/retention") view=RetentionPage ssr=SsrMode::Async/>
                <Route path=path!("/privacy/mail") view=MailLogPage ssr=SsrMode::Async/>
                <Route path=path!("/my-data") view=MyDataPage ssr=SsrMode::Async/>
                <Route path=path!("/privacy/residents/:id") view=ResidentRecordsPage ssr=SsrMode::Async/>
                <Route path=path!("/volunteer") view=VolunteerPage ssr=SsrMode::Async/>
                <Route path=path!("/volunteer/profile") view=VolunteerProfilePage ssr=SsrMode::Async/>
                <Route path=path!("/volunteer/interests") view=MyInterestsPage ssr=SsrMode::Async/>
                <Route path=path!("/volunteer/:id") view=OpportunityPage ssr=SsrMode::Async/>
                <Route path=path!("/manage/opportunities") view=ManageOpportunitiesPage ssr=SsrMode::Async/>
                <Route path=path!("/manage/opportunities/:id") view=ManageOpportunityPage ssr=SsrMode::Async/>
                <Route path=path!("/invite/:token") view=InvitePage ssr=SsrMode::Async/>
                <Route path=path!("/outreach") view=|| view! { <OutreachOnly><OutreachPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/doorstep") view=|| view! { <OutreachOnly><DoorstepPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/events") view=|| view! { <OutreachOnly><EventsPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/events/:id") view=|| view! { <OutreachOnly><EventPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/follow-ups") view=|| view! { <OutreachOnly><FollowUpsPage/></OutreachOnly> } ssr=SsrMode::Async/>
                <Route path=path!("/outreach/consultations") view=|| view! { <OutreachOnly><ConsultPage/></OutreachOnly> } ssr=SsrMode::Async/>
            </Routes>
        </Layout>
    }
}
