//! What a resident can agree to, each purpose separately, and one decision as a device records
//! it. (Re-exported by `domain::outreach`, where the records that carry them live.)

use serde::{Deserialize, Serialize};

/// The purposes a resident can consent to, each separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    ContactAboutIssue,
    ConsultationInvitations,
    VolunteeringOpportunities,
    ShareWithReferredService,
}

impl ConsentPurpose {
    pub const ALL: [ConsentPurpose; 4] = [
        ConsentPurpose::ContactAboutIssue,
        ConsentPurpose::ConsultationInvitations,
        ConsentPurpose::VolunteeringOpportunities,
        ConsentPurpose::ShareWithReferredService,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentPurpose::ContactAboutIssue => "contact_about_issue",
            ConsentPurpose::ConsultationInvitations => "consultation_invitations",
            ConsentPurpose::VolunteeringOpportunities => "volunteering_opportunities",
            ConsentPurpose::ShareWithReferredService => "share_with_referred_service",
        }
    }

    /// The words shown to the resident; stored with each consent as given.
    pub fn wording(self) -> &'static str {
        match self {
            ConsentPurpose::ContactAboutIssue => "We can contact you about the issue you raised today.",
            ConsentPurpose::ConsultationInvitations => "We can invite you to have your say on plans and services in your area.",
            ConsentPurpose::VolunteeringOpportunities => "We can tell you about volunteering opportunities that match your interests, and pass your name and contact details to the local groups that run them.",
            ConsentPurpose::ShareWithReferredService => "We can share your details with the service we refer you to, so they can help.",
        }
    }

    /// The same words in Welsh, as a Welsh-speaking resident is asked (stored as given, like the
    /// English). Marked for a translator's review: when they change, these move to
    /// `earlier_wordings` so that decisions already given stay readable.
    pub fn welsh_wording(self) -> &'static str {
        match self {
            ConsentPurpose::ContactAboutIssue => "Gallwn gysylltu â chi am y mater a godwyd gennych heddiw.",
            ConsentPurpose::ConsultationInvitations => "Gallwn eich gwahodd i ddweud eich dweud am gynlluniau a gwasanaethau yn eich ardal.",
            ConsentPurpose::VolunteeringOpportunities => "Gallwn ddweud wrthych am gyfleoedd gwirfoddoli sy'n cyfateb i'ch diddordebau, a rhoi eich enw a'ch manylion cyswllt i'r grwpiau lleol sy'n eu cynnal.",
            ConsentPurpose::ShareWithReferredService => "Gallwn rannu eich manylion â'r gwasanaeth rydym yn eich atgyfeirio ato, er mwyn iddo allu helpu.",
        }
    }

    /// The same words in Urdu, as a resident reading the site in Urdu is asked (stored as given).
    /// A first translation, every word of it for a translator's review (as `app/locales/ur.toml`).
    pub fn urdu_wording(self) -> &'static str {
        match self {
            ConsentPurpose::ContactAboutIssue => "ہم آج آپ کے اٹھائے گئے مسئلے کے بارے میں آپ سے رابطہ کر سکتے ہیں۔",
            ConsentPurpose::ConsultationInvitations => "ہم آپ کو آپ کے علاقے کے منصوبوں اور خدمات پر اپنی رائے دینے کی دعوت دے سکتے ہیں۔",
            ConsentPurpose::VolunteeringOpportunities => "ہم آپ کو آپ کی دلچسپیوں سے ملتے رضاکاری کے مواقع کے بارے میں بتا سکتے ہیں، اور آپ کا نام اور رابطے کی تفصیلات انہیں چلانے والے مقامی گروپوں کو دے سکتے ہیں۔",
            ConsentPurpose::ShareWithReferredService => "ہم آپ کی تفصیلات اس خدمت کے ساتھ شیئر کر سکتے ہیں جس کے پاس ہم آپ کو بھیجتے ہیں، تاکہ وہ مدد کر سکے۔",
        }
    }

    /// Every wording this version asks with: English, Welsh, Urdu.
    fn current_wordings(self) -> [&'static str; 3] {
        [self.wording(), self.welsh_wording(), self.urdu_wording()]
    }

    /// The words to ask with in a language ("cy" Welsh, "ur" Urdu; English otherwise).
    pub fn wording_in(self, language: &str) -> &'static str {
        match language {
            "cy" => self.welsh_wording(),
            "ur" => self.urdu_wording(),
            _ => self.wording(),
        }
    }

    /// Words earlier versions of the app showed for this purpose, newest first.
    pub fn earlier_wordings(self) -> &'static [&'static str] {
        match self {
            ConsentPurpose::VolunteeringOpportunities => &["We can tell you about volunteering opportunities that match your interests."],
            _ => &[],
        }
    }

    /// The words to store for a decision whose device showed `shown`. A device from before
    /// devices sent their words showed the newest earlier wording (or the only one there has
    /// been). `None`: words this version does not know.
    pub fn stored_wording(self, shown: Option<&str>) -> Option<&'static str> {
        match shown {
            Some(text) => self.current_wordings().into_iter().chain(self.earlier_wordings().iter().copied()).find(|w| *w == text),
            None => Some(self.earlier_wordings().first().copied().unwrap_or(self.wording())),
        }
    }

    /// Whether a "yes" given to `wording` lets local groups have the resident's name and
    /// contact details (only the words that say so).
    pub fn shares_with_groups(wording: &str) -> bool {
        let v = ConsentPurpose::VolunteeringOpportunities;
        v.current_wordings().contains(&wording)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    Consent,
    PublicTask,
    LegitimateInterests,
}

impl LawfulBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            LawfulBasis::Consent => "consent",
            LawfulBasis::PublicTask => "public_task",
            LawfulBasis::LegitimateInterests => "legitimate_interests",
        }
    }
}

/// One decision a resident made about one purpose, as recorded at the door.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentDecision {
    pub purpose: ConsentPurpose,
    pub granted: bool,
    pub lawful_basis: LawfulBasis,
    /// The words the device showed the resident (absent from devices older than this field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
}
