//! The organisation's lists a record's ids must come from, as every record's checks ask them
//! (a conversation's, a commitment's, a referral's).

pub trait Reference {
    fn has_area(&self, id: &str) -> bool;
    fn has_theme(&self, id: &str) -> bool;
    fn has_service(&self, id: &str) -> bool;
    /// A partner organisation that can be sent a referral.
    fn has_partner(&self, id: &str) -> bool;
    fn has_interest(&self, id: &str) -> bool;
    /// A member of staff who can own a follow-up.
    fn has_colleague(&self, id: &str) -> bool;
}
