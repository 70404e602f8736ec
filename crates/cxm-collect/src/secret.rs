//! The link's token and the PIN: random from the operating system, compared without
//! an early exit.

use std::fmt::Write as _;

/// The token's length in random bytes (192 bits; 48 hexadecimal digits in the link).
pub(crate) const TOKEN_BYTES: usize = 24;

/// A new token: [`TOKEN_BYTES`] random bytes as lowercase hexadecimal.
pub(crate) fn token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    }))
}

/// A new PIN: six digits, each of the 1,000,000 equally likely (a random `u32` below
/// the largest multiple of 1,000,000 that fits, else drawn again).
pub(crate) fn pin() -> Result<String, getrandom::Error> {
    pin_from(|| {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    })
}

/// The PIN made from the 32-bit numbers `next` draws, by rejection sampling.
fn pin_from<E>(mut next: impl FnMut() -> Result<u32, E>) -> Result<String, E> {
    const SPAN: u32 = 1_000_000;
    const ZONE: u32 = u32::MAX / SPAN * SPAN;
    loop {
        let n = next()?;
        if n < ZONE {
            return Ok(format!("{:06}", n % SPAN));
        }
    }
}

/// Whether `a` and `b` are equal, looking at every byte whatever the first difference
/// (the lengths, which are public, are compared first).
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a
        .iter()
        .zip(b)
        .fold(0u8, |d, (x, y)| d | std::hint::black_box(x ^ y));
    difference == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_new() {
        let a = token().expect("random");
        let b = token().expect("random");
        assert_eq!(a.len(), 48);
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        );
        assert_ne!(a, b);
    }

    #[test]
    fn pins_have_six_digits() {
        for _ in 0..200 {
            let p = pin().expect("random");
            assert_eq!(p.len(), 6, "{p}");
            assert!(p.bytes().all(|c| c.is_ascii_digit()), "{p}");
        }
    }

    #[test]
    fn numbers_past_the_last_whole_million_are_drawn_again() {
        let mut draws = [u32::MAX, 4_294_000_000, 4_293_999_999, 7].into_iter();
        let p: Result<String, ()> = pin_from(|| Ok(draws.next().expect("enough draws")));
        assert_eq!(p.as_deref(), Ok("999999"));
        assert_eq!(
            draws.next(),
            Some(7),
            "the first number below the zone was used"
        );
        let mut draws = [42u32].into_iter();
        let p: Result<String, ()> = pin_from(|| Ok(draws.next().expect("one draw")));
        assert_eq!(p.as_deref(), Ok("000042"));
    }

    #[test]
    fn comparison() {
        assert!(same(b"123456", b"123456"));
        assert!(!same(b"123456", b"123457"));
        assert!(!same(b"023456", b"123456"));
        assert!(!same(b"12345", b"123456"));
        assert!(same(b"", b""));
    }
}
