//! The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
//! 31-character alphabet (the digits and the capitals without I, O, Z, S, V, which read too
//! much like 1, 0, 2, 5, U), the last a check character computed from the other 17.

use std::fmt;

/// The code's alphabet, each character's value its position.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weight of each of the first 17 characters: 3^i mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// The code's length.
pub const LENGTH: usize = 18;

/// A code whose characters and check character are right, in capitals.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

/// Why a text is not a unified social credit code. Positions count from 1, as people read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UsccError {
    /// Not 18 characters (after trimming).
    Length(usize),
    /// A character outside the alphabet (e.g. `I`, `O`, `Z`, `S`, `V`, a space).
    Character { position: usize, found: char },
    /// Every character allowed, but the last is not the check character of the others.
    CheckCharacter { expected: char, found: char },
}

impl fmt::Display for UsccError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UsccError::Length(n) => write!(f, "统一社会信用代码应为18位，这里是{n}位 / a unified social credit code has 18 characters, not {n}"),
            UsccError::Character { position, found } => write!(
                f,
                "第{position}位“{found}”不是代码字符 / character {position} ({found:?}) is not one of the code's (digits and capitals without I, O, Z, S, V)"
            ),
            UsccError::CheckCharacter { expected, found } => write!(
                f,
                "校验码应为{expected}，这里是{found}：代码有误 / the check character should be {expected}, not {found}: the code is mistyped"
            ),
        }
    }
}

impl std::error::Error for UsccError {}

/// A character as typed: full-width letters and digits (Ｚ, ９) made half-width, lowercase
/// made capital.
fn fold(c: char) -> char {
    crate::site::identity::half_width(c).to_ascii_uppercase()
}

fn value(c: char) -> Option<u32> {
    ALPHABET.iter().position(|&a| a as char == c).map(|v| v as u32)
}

/// The check character of the first 17 values (the weights stop there: an 18th, the
/// check character itself, is not read).
fn check_character(values: &[u32]) -> char {
    let sum: u32 = values.iter().zip(WEIGHTS).map(|(v, w)| v * w).sum();
    let check = (31 - sum % 31) % 31;
    ALPHABET[check as usize] as char
}

impl Uscc {
    /// Reads a code as people type it: surrounding whitespace ignored, lowercase and
    /// full-width characters accepted.
    pub fn parse(text: &str) -> Result<Uscc, UsccError> {
        let chars: Vec<char> = text.trim().chars().map(fold).collect();
        if chars.len() != LENGTH {
            return Err(UsccError::Length(chars.len()));
        }
        let mut values = Vec::with_capacity(LENGTH);
        for (n, &c) in chars.iter().enumerate() {
            values.push(value(c).ok_or(UsccError::Character { position: n + 1, found: c })?);
        }
        let expected = check_character(&values);
        let found = chars[LENGTH - 1];
        if expected != found {
            return Err(UsccError::CheckCharacter { expected, found });
        }
        Ok(Uscc(chars.into_iter().collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Uscc {
    type Err = UsccError;

    fn from_str(text: &str) -> Result<Uscc, UsccError> {
        Uscc::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Codes as published on business licences (the standard's own example first).
    const VALID: [&str; 4] = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T", "12100000400000624D"];

    #[test]
    fn published_codes_are_valid_and_come_back_in_capitals() {
        for code in VALID {
            assert_eq!(Uscc::parse(code).map(|c| c.to_string()), Ok(code.to_string()), "{code}");
        }
        assert_eq!(Uscc::parse(" 91350100m000100y43\n").unwrap().as_str(), "91350100M000100Y43");
        assert_eq!(
            Uscc::parse("９１３５０１００Ｍ０００１００Ｙ４３").unwrap().as_str(),
            "91350100M000100Y43",
            "full-width as typed on a Chinese keyboard"
        );
        assert_eq!("91350100M000100Y43".parse::<Uscc>().unwrap().as_str(), "91350100M000100Y43");
    }

    #[test]
    fn the_length_must_be_eighteen() {
        assert_eq!(Uscc::parse(""), Err(UsccError::Length(0)));
        assert_eq!(Uscc::parse("91350100M000100Y4"), Err(UsccError::Length(17)));
        assert_eq!(Uscc::parse("91350100M000100Y433"), Err(UsccError::Length(19)));
        assert_eq!(Uscc::parse("统一社会信用代码"), Err(UsccError::Length(8)), "characters, not bytes");
    }

    #[test]
    fn letters_that_read_like_digits_are_not_in_the_alphabet() {
        for (n, bad) in ['I', 'O', 'Z', 'S', 'V', ' ', '-'].into_iter().enumerate() {
            let position = n + 2;
            let mut code: Vec<char> = "91350100M000100Y43".chars().collect();
            code[position - 1] = bad;
            let code: String = code.into_iter().collect();
            assert_eq!(Uscc::parse(&code), Err(UsccError::Character { position, found: bad }), "{code}");
        }
        assert_eq!(Uscc::parse("91350100M000100Y4O"), Err(UsccError::Character { position: 18, found: 'O' }));
    }

    #[test]
    fn one_mistyped_character_is_caught_by_the_check_character() {
        assert_eq!(Uscc::parse("91350100M000100Y44"), Err(UsccError::CheckCharacter { expected: '3', found: '4' }));
        assert_eq!(Uscc::parse("91350100M000101Y43"), Err(UsccError::CheckCharacter { expected: 'Q', found: '3' }));
        // Every single-character change of a valid code fails.
        for code in VALID {
            for at in 0..LENGTH {
                for &replacement in ALPHABET.iter() {
                    let mut changed: Vec<u8> = code.bytes().collect();
                    if changed[at] == replacement {
                        continue;
                    }
                    changed[at] = replacement;
                    let changed = String::from_utf8(changed).unwrap();
                    assert!(matches!(Uscc::parse(&changed), Err(UsccError::CheckCharacter { .. })), "{changed}");
                }
            }
        }
    }

    #[test]
    fn a_check_value_of_zero_is_the_character_zero() {
        // 17 zeros weigh 0: 31 - 0 is 31, which wraps to 0.
        assert_eq!(Uscc::parse("000000000000000000").unwrap().as_str(), "000000000000000000");
        // 1 at the first place weighs 1: 31 - 1 is 30, the last character of the alphabet.
        assert_eq!(Uscc::parse("10000000000000000Y").unwrap().as_str(), "10000000000000000Y");
    }

    #[test]
    fn errors_say_what_is_wrong_in_both_languages() {
        let length = UsccError::Length(17).to_string();
        assert!(length.contains("18位") && length.contains("17"), "{length}");
        let check = UsccError::CheckCharacter { expected: '3', found: '4' }.to_string();
        assert!(check.contains("校验码") && check.contains("check character should be 3, not 4"), "{check}");
        let character = UsccError::Character { position: 2, found: 'O' }.to_string();
        assert!(character.contains("第2位") && character.contains("character 2"), "{character}");
    }
}
