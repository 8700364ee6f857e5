//! The pages whose code the browser fetches only when someone opens one (issue 17). Outreach, the
//! home page and signing in are in the main bundle: a worker on a doorstep needs them at once and
//! offline. Everything else is split off, an area at a time, by `cargo leptos build --split`; the
//! service worker keeps every chunk once a worker is signed in (`public/sw.js`), because on
//! Leptos 0.8 a chunk that cannot be fetched stops the whole app.
//!
//! On the server these render in the same pass as any other page (`#[lazy]` only splits the
//! browser's code), so server-side rendering and pages without JavaScript are unchanged.

use crate::pages::community::{CommunityResponsesPage, OpenResponsePage, TogetherPage};
use crate::pages::confirm_address::ConfirmAddressPage;
use crate::pages::consultations::{ConsultationPage, ConsultationsPage};
use crate::pages::guidance::{ManageGuidancePage, WhatYouCanDoPage};
use crate::pages::ideas::IdeaPage;
use crate::pages::intelligence::IntelligencePage;
use crate::pages::mail::MailLogPage;
use crate::pages::manage_consultations::{ManageConsultationPage, ManageConsultationsPage};
use crate::pages::manage_opportunities::{ManageOpportunitiesPage, ManageOpportunityPage};
use crate::pages::moderation::ModerationPage;
use crate::pages::partners::{JoinPartnersPage, PartnersPage};
use crate::pages::password_reset::{ForgotPasswordPage, ResetPasswordPage};
use crate::pages::privacy::{AuditLogPage, MyDataPage, PrivacyPage, ResidentRecordsPage, RetentionPage};
use crate::pages::referrals::ReferralsPage;
use crate::pages::register::{RegisterPage, ResendVerificationPage, VerifyEmailPage};
use crate::pages::results::ResultsPage;
use crate::pages::unsubscribe::UnsubscribePage;
use crate::pages::volunteering::{MyInterestsPage, OpportunityPage, VolunteerPage, VolunteerProfilePage};
use crate::pages::{account::AccountPage, invite::InvitePage, staff::StaffPage};
use leptos::prelude::*;
use leptos_router::LazyRoute;

/// One split per area of the app, holding that area's pages: `Lazy<Name>` is the route whose view
/// is `<Page/>`. `#[lazy]` makes the area's loader, `__preload_<area>`, in the browser. Per page instead, the splits' shared code scattered over some 270 small chunks
/// (one per set of pages sharing it), and opening an admin page fetched thirty of them.
macro_rules! lazy_area {
    ($area:ident, $preload:ident, $kind:ident { $($name:ident => $page:ident),* $(,)? }) => {
        #[derive(Clone, Copy)]
        enum $kind {
            $($name),*
        }

        #[lazy]
        fn $area(page: $kind) -> AnyView {
            match page {
                $($kind::$name => view! { <$page/> }.into_any()),*
            }
        }

        $(
            #[doc = concat!("The route for `", stringify!($page), "`, loaded with its area.")]
            pub struct $name;

            impl LazyRoute for $name {
                fn data() -> Self {
                    $name
                }

                async fn view(_this: Self) -> AnyView {
                    $area($kind::$name).await
                }

                // Hydrating a page loaded in full waits for its area's code (`hydrate_lazy`).
                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

lazy_area!(account_pages, __preload_account_pages, AccountArea {
    ForgotPassword => ForgotPasswordPage,
    Register => RegisterPage,
    Unsubscribe => UnsubscribePage,
    ConfirmAddress => ConfirmAddressPage,
    ResendVerification => ResendVerificationPage,
    VerifyEmail => VerifyEmailPage,
    ResetPassword => ResetPasswordPage,
    Account => AccountPage,
    Invite => InvitePage,
    Staff => StaffPage,
});

lazy_area!(consultation_pages, __preload_consultation_pages, ConsultationArea {
    Consultations => ConsultationsPage,
    Consultation => ConsultationPage,
    Idea => IdeaPage,
});

lazy_area!(consultation_management_pages, __preload_consultation_management_pages, ConsultationManagementArea {
    Moderation => ModerationPage,
    Results => ResultsPage,
    ManageConsultations => ManageConsultationsPage,
    ManageConsultation => ManageConsultationPage,
});

lazy_area!(volunteering_pages, __preload_volunteering_pages, VolunteeringArea {
    Volunteer => VolunteerPage,
    VolunteerProfile => VolunteerProfilePage,
    MyInterests => MyInterestsPage,
    Opportunity => OpportunityPage,
    WhatYouCanDo => WhatYouCanDoPage,
    Together => TogetherPage,
});

lazy_area!(volunteering_management_pages, __preload_volunteering_management_pages, VolunteeringManagementArea {
    Partners => PartnersPage,
    JoinPartners => JoinPartnersPage,
    ManageOpportunities => ManageOpportunitiesPage,
    ManageOpportunity => ManageOpportunityPage,
    ManageGuidance => ManageGuidancePage,
    Referrals => ReferralsPage,
});

lazy_area!(intelligence_pages, __preload_intelligence_pages, IntelligenceArea {
    Intelligence => IntelligencePage,
    CommunityResponses => CommunityResponsesPage,
    OpenResponse => OpenResponsePage,
});

lazy_area!(privacy_pages, __preload_privacy_pages, PrivacyArea {
    Privacy => PrivacyPage,
    AuditLog => AuditLogPage,
    Retention => RetentionPage,
    MailLog => MailLogPage,
    MyData => MyDataPage,
    ResidentRecords => ResidentRecordsPage,
});
