//! Wrong PINs per address: after [`MAX_WRONG_PINS`] wrong ones, an address is refused
//! for [`LOCKOUT`], even with the right PIN. Time comes in as an argument.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::{LOCKOUT, MAX_WRONG_PINS};

/// Addresses remembered before forgotten ones are pruned.
const PRUNE_AT: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Entry {
    wrong: u32,
    last: Instant,
    locked_until: Option<Instant>,
}

/// The wrong PINs seen, by address.
#[derive(Debug, Default)]
pub(crate) struct Lockout {
    entries: HashMap<IpAddr, Entry>,
}

impl Lockout {
    /// How long `ip` is still locked out at `now`, if it is (an expired lockout is
    /// forgotten, with the count of wrong PINs).
    pub fn locked(&mut self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let until = self.entries.get(&ip)?.locked_until?;
        if now < until {
            return Some(until - now);
        }
        self.entries.remove(&ip);
        None
    }

    /// Counts a wrong PIN from `ip`; the last one allowed starts the lockout.
    pub fn wrong(&mut self, ip: IpAddr, now: Instant) {
        if self.entries.len() >= PRUNE_AT {
            self.entries.retain(|_, e| {
                e.locked_until.is_some_and(|u| u > now) || now.duration_since(e.last) < LOCKOUT
            });
        }
        let entry = self.entries.entry(ip).or_insert(Entry {
            wrong: 0,
            last: now,
            locked_until: None,
        });
        entry.wrong += 1;
        entry.last = now;
        if entry.wrong >= MAX_WRONG_PINS {
            entry.locked_until = Some(now + LOCKOUT);
        }
    }

    /// The right PIN from `ip` (not locked out): its wrong ones are forgotten.
    pub fn right(&mut self, ip: IpAddr) {
        self.entries.remove(&ip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn ten_wrong_pins_lock_an_address_out_for_five_minutes() {
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7));
        let b = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 8));
        let t = Instant::now();
        let mut l = Lockout::default();
        for i in 0..MAX_WRONG_PINS - 1 {
            l.wrong(a, t + Duration::from_secs(u64::from(i)));
            assert_eq!(l.locked(a, t + Duration::from_secs(u64::from(i))), None);
        }
        let tenth = t + Duration::from_secs(60);
        l.wrong(a, tenth);
        assert_eq!(l.locked(a, tenth), Some(LOCKOUT));
        assert_eq!(
            l.locked(b, tenth),
            None,
            "another address is not locked out"
        );
        assert_eq!(
            l.locked(a, tenth + LOCKOUT - Duration::from_secs(1)),
            Some(Duration::from_secs(1))
        );
        assert_eq!(l.locked(a, tenth + LOCKOUT), None, "the lockout ends");
        l.wrong(a, tenth + LOCKOUT);
        assert_eq!(
            l.locked(a, tenth + LOCKOUT),
            None,
            "and the count starts again"
        );
    }

    #[test]
    fn the_right_pin_forgets_the_wrong_ones() {
        let a = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7));
        let t = Instant::now();
        let mut l = Lockout::default();
        for _ in 0..MAX_WRONG_PINS - 1 {
            l.wrong(a, t);
        }
        l.right(a);
        l.wrong(a, t);
        assert_eq!(l.locked(a, t), None);
    }

    #[test]
    fn many_addresses_are_pruned_but_locked_ones_kept() {
        let t = Instant::now();
        let mut l = Lockout::default();
        let locked = IpAddr::V4(Ipv4Addr::new(10, 9, 9, 9));
        for _ in 0..MAX_WRONG_PINS {
            l.wrong(locked, t);
        }
        for i in 0..PRUNE_AT as u32 {
            l.wrong(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i)), t);
        }
        let later = t + LOCKOUT - Duration::from_secs(1);
        l.wrong(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 1)), later);
        assert_eq!(l.entries.len(), PRUNE_AT + 2, "recent addresses are kept");
        assert_eq!(l.locked(locked, later), Some(Duration::from_secs(1)));
        let much_later = t + LOCKOUT + Duration::from_secs(1);
        l.wrong(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 2)), much_later);
        assert_eq!(
            l.entries.len(),
            2,
            "only the last two are left after pruning"
        );
    }
}
