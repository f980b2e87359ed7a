//! Who is who: people, their roles and scopes, and the rules of what each may do and see.
//! Plain functions over plain types, tested here without HTTP or a database; the routes ask
//! them, the store keeps the people.

use std::fmt;

use sha2::{Digest, Sha256};

/// What a person does at the bureau.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Uploads inspections from a phone and reads back their own.
    Inspector,
    /// Reads the office pages and acts there, within a scope.
    Supervisor,
    /// People, settings, everything.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Inspector, Role::Supervisor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Inspector => "inspector",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == text.trim())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person, as stored (without the password hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// A supervisor's scope (and an inspector's own department and district): empty is none.
    pub department: String,
    pub district: String,
    /// The enforcement certificate number (执法证号).
    pub certificate: String,
    pub active: bool,
    pub created_at: u64,
}

/// Who is behind a request: a person, or someone holding one of the legacy shared tokens of
/// `SAFEWALK_TOKENS` (no name: they may do what an unscoped admin's device may through the
/// API, but nothing in the office that needs a person).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Principal {
    Person(Person),
    Legacy,
}

impl Principal {
    pub fn person(&self) -> Option<&Person> {
        match self {
            Principal::Person(p) => Some(p),
            Principal::Legacy => None,
        }
    }

    /// The person's id, recorded as the submitter (none for a legacy token).
    pub fn person_id(&self) -> Option<&str> {
        self.person().map(|p| p.id.as_str())
    }

    /// Whether this principal may do `action` at all (scope is checked per record, by
    /// [`Principal::may_see`]).
    pub fn may(&self, action: Action) -> bool {
        match self {
            Principal::Legacy => !matches!(action, Action::ManagePeople | Action::ReadAudit | Action::Me | Action::Configure),
            Principal::Person(p) => p.active && p.role.may(action),
        }
    }

    /// Whether this principal may read a record submitted by `submitter` (`None`: nobody
    /// known, e.g. a record from before people or from a legacy token).
    pub fn may_see(&self, submitter: Option<&Person>) -> bool {
        match self {
            Principal::Legacy => true,
            Principal::Person(viewer) => viewer.may_see(submitter),
        }
    }

    /// What the list queries filter by, the same rule as [`Principal::may_see`] in a form
    /// SQL can apply.
    pub fn visibility(&self) -> Visibility {
        match self {
            Principal::Legacy => Visibility::default(),
            Principal::Person(viewer) => viewer.visibility(),
        }
    }
}

/// Something a request does, for the role check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Upload an inspection or an attachment.
    Submit,
    /// Read the checklist library.
    ReadTemplates,
    /// Read inspections and attachments through the API (filtered by scope).
    ReadRecords,
    /// Open the office pages, export CSV.
    Office,
    /// Add and change people, issue and revoke their tokens and sign-in links.
    ManagePeople,
    /// Read and export the audit trail.
    ReadAudit,
    /// `GET /me`.
    Me,
    /// `GET /sync`: pull one's tasks and their sites' open hazards.
    Pull,
    /// Set the office's particulars for documents and allocate serial blocks by hand.
    Configure,
}

impl Role {
    pub fn may(self, action: Action) -> bool {
        match action {
            Action::Submit | Action::ReadTemplates | Action::ReadRecords | Action::Me | Action::Pull => true,
            Action::Office => self >= Role::Supervisor,
            Action::ManagePeople | Action::ReadAudit | Action::Configure => self == Role::Admin,
        }
    }
}

/// A list filter: every non-empty field must hold. Default: everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Visibility {
    /// Only records submitted by this person.
    pub submitter: String,
    /// Only records submitted by people of this department.
    pub department: String,
    /// Only records submitted by people of this district.
    pub district: String,
}

impl Person {
    /// An inspector sees their own records; a supervisor those submitted by people of their
    /// department and district (each only when set: a supervisor with neither sees all); an
    /// admin everything. Records nobody is known to have submitted are for unscoped eyes only.
    pub fn may_see(&self, submitter: Option<&Person>) -> bool {
        if !self.active {
            return false;
        }
        match self.role {
            Role::Admin => true,
            Role::Inspector => submitter.is_some_and(|s| s.id == self.id),
            Role::Supervisor => {
                let unscoped = self.department.is_empty() && self.district.is_empty();
                unscoped
                    || submitter.is_some_and(|s| {
                        (self.department.is_empty() || s.department == self.department)
                            && (self.district.is_empty() || s.district == self.district)
                    })
            }
        }
    }

    pub fn visibility(&self) -> Visibility {
        match self.role {
            Role::Admin => Visibility::default(),
            Role::Inspector => Visibility { submitter: self.id.clone(), ..Visibility::default() },
            Role::Supervisor => {
                Visibility { submitter: String::new(), department: self.department.clone(), district: self.district.clone() }
            }
        }
    }

    /// `name (role)`, for logs and the audit.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.role)
    }
}

/// A new secret: 32 random bytes as 43 URL-safe base64 characters (256 bits), with a
/// prefix that says what it is when it turns up in a log or a paste.
pub fn new_secret(prefix: &str) -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    format!("{prefix}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// Device tokens: `swt_…`.
pub const DEVICE_TOKEN_PREFIX: &str = "swt_";
/// One-time sign-in codes: `swl_…`.
pub const SIGN_IN_PREFIX: &str = "swl_";
/// Office sessions: `sws_…`.
pub const SESSION_PREFIX: &str = "sws_";

/// What the database keeps of a secret: its SHA-256, hex. The secrets are 256 random bits,
/// so a fast hash is enough (no dictionary to try), and the lookup by hash is an index seek;
/// the final comparison is in constant time ([`same_hash`]).
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two hashes in constant time.
pub fn same_hash(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A new random id (UUID v4).
pub fn new_id() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// Argon2id with the crate's default parameters (19 MiB, 2 passes), a random salt.
pub fn hash_password(password: &str) -> Result<String, String> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    argon2::Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|parsed| argon2::Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A password an office account may have: 10 characters at least.
pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < 10 {
        Err("a password has at least 10 characters".into())
    } else {
        Ok(())
    }
}

/// A person's name as entered: trimmed, not empty, no control characters, 100 characters
/// at most.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("a name is required".into());
    }
    if name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err("a name has at most 100 characters and no control characters".into());
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: &str, role: Role, department: &str, district: &str) -> Person {
        Person {
            id: id.into(),
            name: id.into(),
            role,
            department: department.into(),
            district: district.into(),
            certificate: String::new(),
            active: true,
            created_at: 0,
        }
    }

    #[test]
    fn roles_allow_what_the_matrix_says() {
        use Action::*;
        let table = [
            (Role::Inspector, [true, true, true, false, false, false, true]),
            (Role::Supervisor, [true, true, true, true, false, false, true]),
            (Role::Admin, [true, true, true, true, true, true, true]),
        ];
        for (role, allowed) in table {
            for (action, allowed) in [Submit, ReadTemplates, ReadRecords, Office, ManagePeople, ReadAudit, Me].into_iter().zip(allowed) {
                assert_eq!(role.may(action), allowed, "{role} {action:?}");
            }
        }
        assert!(!Principal::Legacy.may(ManagePeople));
        assert!(Principal::Legacy.may(Submit) && Principal::Legacy.may(Office));
        let mut gone = person("a", Role::Admin, "", "");
        gone.active = false;
        assert!(!Principal::Person(gone.clone()).may(Submit));
        assert!(!gone.may_see(None));
    }

    #[test]
    fn inspectors_see_their_own_and_supervisors_their_scope() {
        let wang = person("wang", Role::Inspector, "brigade-1", "pudong");
        let li = person("li", Role::Inspector, "brigade-2", "pudong");
        assert!(wang.may_see(Some(&wang)));
        assert!(!wang.may_see(Some(&li)));
        assert!(!wang.may_see(None));
        let by_department = person("s1", Role::Supervisor, "brigade-1", "");
        assert!(by_department.may_see(Some(&wang)) && !by_department.may_see(Some(&li)) && !by_department.may_see(None));
        let by_district = person("s2", Role::Supervisor, "", "pudong");
        assert!(by_district.may_see(Some(&wang)) && by_district.may_see(Some(&li)));
        let both = person("s3", Role::Supervisor, "brigade-2", "pudong");
        assert!(!both.may_see(Some(&wang)) && both.may_see(Some(&li)));
        let unscoped = person("s4", Role::Supervisor, "", "");
        assert!(unscoped.may_see(None) && unscoped.may_see(Some(&li)));
        assert!(person("a", Role::Admin, "x", "y").may_see(None));
    }

    #[test]
    fn secrets_are_long_random_and_stored_as_hashes() {
        let (a, b) = (new_secret(DEVICE_TOKEN_PREFIX), new_secret(DEVICE_TOKEN_PREFIX));
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 43);
        assert!(a.starts_with("swt_"));
        assert_eq!(secret_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(same_hash(&secret_hash(&a), &secret_hash(&a)));
        assert!(!same_hash(&secret_hash(&a), &secret_hash(&b)));
    }

    #[test]
    fn passwords_verify_against_their_argon2_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batter", &hash));
        assert!(!verify_password("x", "not a hash"));
        assert!(check_password("short").is_err());
        assert_eq!(check_name("  Wang Wei "), Ok("Wang Wei".to_string()));
        assert!(check_name(" ").is_err() && check_name("a\nb").is_err());
    }
}
