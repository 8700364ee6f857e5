//! Who someone is in an organisation, and what that lets them do.

use serde::{Deserialize, Serialize};

/// A person's role. Staff roles belong to one organisation; residents take part in its work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    OutreachWorker,
    GroupOrganiser,
    Resident,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::OutreachWorker, Role::GroupOrganiser, Role::Resident];
    /// Roles an admin may give to a staff account they create.
    pub const STAFF: [Role; 3] = [Role::Admin, Role::OutreachWorker, Role::GroupOrganiser];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::OutreachWorker => "outreach_worker",
            Role::GroupOrganiser => "group_organiser",
            Role::Resident => "resident",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::OutreachWorker => "Outreach worker",
            Role::GroupOrganiser => "Group organiser",
            Role::Resident => "Resident",
        }
    }

    pub fn is_staff(self) -> bool {
        self != Role::Resident
    }

    /// Creating, listing and deactivating staff accounts.
    pub fn can_manage_staff(self) -> bool {
        self == Role::Admin
    }

    /// Creating, running and moderating consultations: admins always, outreach workers when an
    /// admin has `granted` it to them, nobody else.
    pub fn may_manage_consultations(self, granted: bool) -> bool {
        match self {
            Role::Admin => true,
            Role::OutreachWorker => granted,
            Role::GroupOrganiser | Role::Resident => false,
        }
    }

    /// Whether an admin can grant this role the right to run consultations.
    pub fn can_be_granted_consultations(self) -> bool {
        self == Role::OutreachWorker
    }

    pub fn can_do_outreach(self) -> bool {
        matches!(self, Role::Admin | Role::OutreachWorker)
    }

    /// The intelligence dashboard: admins see the whole organisation, outreach workers their
    /// own conversations.
    pub fn can_see_intelligence(self) -> bool {
        matches!(self, Role::Admin | Role::OutreachWorker)
    }

    /// Residents' data rights: subject access, erasure, requests, retention and the audit log.
    pub fn can_handle_data_protection(self) -> bool {
        self == Role::Admin
    }

    /// Seeing and changing what they agree to (a resident's own consent ledger).
    pub fn has_own_consents(self) -> bool {
        self == Role::Resident
    }

    /// Posting volunteering opportunities and answering the interest in them.
    pub fn can_manage_opportunities(self) -> bool {
        matches!(self, Role::Admin | Role::GroupOrganiser)
    }

    /// Keeping the organisation's "what you can do" guidance for each theme.
    pub fn can_keep_guidance(self) -> bool {
        self == Role::Admin
    }

    /// Answering referrals sent to one's organisation: a partner group's organisers. (Staff of
    /// the referring organisation record its own services' answers from their follow-ups.)
    pub fn can_answer_referrals(self) -> bool {
        self == Role::GroupOrganiser
    }

    /// Seeing the clusters the conversations show, and answering them with the community:
    /// admins.
    pub fn can_answer_clusters(self) -> bool {
        self == Role::Admin
    }

    /// The links in the main navigation for this role, in order.
    pub fn navigation(self, consultation_rights: bool) -> Vec<NavLink> {
        use NavLink as N;
        let mut links = vec![N::Home];
        if self.can_do_outreach() {
            links.push(N::Outreach);
        }
        links.push(if self.may_manage_consultations(consultation_rights) { N::ManageConsultations } else { N::Consultations });
        links.push(if self.can_manage_opportunities() { N::ManageOpportunities } else { N::Volunteer });
        if self.can_answer_referrals() {
            links.push(N::Referrals);
        }
        if self.can_see_intelligence() {
            links.push(N::Intelligence);
        }
        if self.can_answer_clusters() {
            links.push(N::CommunityResponses);
        }
        if self.can_manage_staff() {
            links.push(N::Staff);
        }
        if self.can_keep_guidance() {
            links.push(N::ManageGuidance);
        }
        if self.can_handle_data_protection() {
            links.push(N::Privacy);
        }
        if self == Role::Resident {
            links.push(N::WhatYouCanDo);
        }
        if self.has_own_consents() {
            links.push(N::MyData);
        }
        links
    }
}

/// The kinds of organisation that use Mobilise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    Council,
    HousingAssociation,
    Charity,
    CommunityGroup,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 4] =
        [OrganisationKind::Council, OrganisationKind::HousingAssociation, OrganisationKind::Charity, OrganisationKind::CommunityGroup];

    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Council => "council",
            OrganisationKind::HousingAssociation => "housing_association",
            OrganisationKind::Charity => "charity",
            OrganisationKind::CommunityGroup => "community_group",
        }
    }

    pub fn parse(s: &str) -> Option<OrganisationKind> {
        OrganisationKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::Council => "Council",
            OrganisationKind::HousingAssociation => "Housing association",
            OrganisationKind::Charity => "Charity",
            OrganisationKind::CommunityGroup => "Community group",
        }
    }
}

/// A link in the main navigation; its words are the page's language's (`nav.*` keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NavLink {
    Home,
    Outreach,
    Consultations,
    ManageConsultations,
    Volunteer,
    ManageOpportunities,
    Referrals,
    Intelligence,
    CommunityResponses,
    Staff,
    ManageGuidance,
    Privacy,
    WhatYouCanDo,
    MyData,
}

impl NavLink {
    pub fn path(self) -> &'static str {
        match self {
            NavLink::Home => "/",
            NavLink::Outreach => "/outreach",
            NavLink::Consultations => "/consultations",
            NavLink::ManageConsultations => "/manage/consultations",
            NavLink::Volunteer => "/volunteer",
            NavLink::ManageOpportunities => "/manage/opportunities",
            NavLink::Referrals => "/referrals",
            NavLink::Intelligence => "/intelligence",
            NavLink::CommunityResponses => "/community",
            NavLink::Staff => "/staff",
            NavLink::ManageGuidance => "/manage/guidance",
            NavLink::Privacy => "/privacy",
            NavLink::WhatYouCanDo => "/what-you-can-do",
            NavLink::MyData => "/my-data",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_survives_a_round_trip_through_its_stored_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
        assert_eq!(Role::parse("Admin"), None, "stored names are exact");
    }

    #[test]
    fn every_organisation_kind_survives_a_round_trip() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(OrganisationKind::parse("company"), None);
    }

    #[test]
    fn only_admins_manage_staff_and_residents_are_not_staff() {
        assert!(Role::Admin.can_manage_staff());
        assert!(!Role::OutreachWorker.can_manage_staff());
        assert!(!Role::GroupOrganiser.can_manage_staff());
        assert!(!Role::Resident.can_manage_staff());
        assert!(!Role::Resident.is_staff());
        assert!(Role::STAFF.iter().all(|r| r.is_staff()));
    }

    #[test]
    fn staff_accounts_page_is_in_the_navigation_of_admins_only() {
        for role in Role::ALL {
            for granted in [false, true] {
                let nav = role.navigation(granted);
                assert_eq!(nav.contains(&NavLink::Staff), role.can_manage_staff(), "{role:?}");
                assert_eq!(nav[0].path(), "/", "home comes first for {role:?}");
                assert_eq!(
                    nav.iter().filter(|l| matches!(l, NavLink::Consultations | NavLink::ManageConsultations)).count(),
                    1,
                    "{role:?}"
                );
            }
        }
    }

    #[test]
    fn consultations_are_run_by_admins_and_by_outreach_workers_they_let() {
        let table = [
            (Role::Admin, false, true),
            (Role::Admin, true, true),
            (Role::OutreachWorker, false, false),
            (Role::OutreachWorker, true, true),
            (Role::GroupOrganiser, true, false),
            (Role::Resident, true, false),
        ];
        for (role, granted, may) in table {
            assert_eq!(role.may_manage_consultations(granted), may, "{role:?} granted={granted}");
            let manages = role.navigation(granted).contains(&NavLink::ManageConsultations);
            assert_eq!(manages, may, "{role:?} granted={granted}: the navigation matches the right");
        }
        assert!(Role::ALL.iter().filter(|r| r.can_be_granted_consultations()).eq([Role::OutreachWorker].iter()));
    }

    #[test]
    fn groups_and_admins_post_opportunities_and_everyone_else_finds_them() {
        for role in Role::ALL {
            let nav = role.navigation(false);
            let manages = nav.contains(&NavLink::ManageOpportunities);
            let finds = nav.contains(&NavLink::Volunteer);
            assert_eq!(manages, matches!(role, Role::Admin | Role::GroupOrganiser), "{role:?}");
            assert_eq!(manages, role.can_manage_opportunities(), "{role:?}");
            assert!(manages != finds, "{role:?}: exactly one volunteering link");
        }
    }

    #[test]
    fn admins_see_the_clusters_and_answer_them() {
        for role in Role::ALL {
            let nav = role.navigation(false);
            assert_eq!(nav.contains(&NavLink::CommunityResponses), role == Role::Admin, "{role:?}");
        }
    }

    #[test]
    fn partner_groups_answer_the_referrals_sent_to_them() {
        for role in Role::ALL {
            let nav = role.navigation(false);
            assert_eq!(nav.contains(&NavLink::Referrals), role == Role::GroupOrganiser, "{role:?}");
            assert_eq!(role.can_answer_referrals(), role == Role::GroupOrganiser, "{role:?}");
        }
    }

    #[test]
    fn admins_keep_the_guidance_and_residents_read_it() {
        for role in Role::ALL {
            let nav = role.navigation(false);
            assert_eq!(nav.iter().any(|l| l.path() == "/manage/guidance"), role == Role::Admin, "{role:?}");
            assert_eq!(role.can_keep_guidance(), role == Role::Admin, "{role:?}");
            assert_eq!(nav.iter().any(|l| l.path() == "/what-you-can-do"), role == Role::Resident, "{role:?}");
        }
    }

    #[test]
    fn admins_and_outreach_workers_see_intelligence() {
        for role in Role::ALL {
            let linked = role.navigation(false).contains(&NavLink::Intelligence);
            assert_eq!(linked, role.can_see_intelligence(), "{role:?}");
            assert_eq!(linked, matches!(role, Role::Admin | Role::OutreachWorker), "{role:?}");
        }
    }
}
