//! The random draw of 双随机、一公开 (issue 14): N sites drawn from a pool, each paired with K
//! inspectors drawn from the inspector pool, reproducible by anyone from the recorded seed
//! and pools. A pure function: the route records its inputs and its result, and the draw's
//! page runs it again from the record to show it still gives the same pairs.
//!
//! The random stream is ChaCha20 (`rand_chacha`): its output for a seed is fixed by the
//! cipher's specification, not by a crate version. The sampling on top of it is written here
//! rather than taken from `rand::seq`, whose algorithms may change between minor releases
//! (rand's "value stability" policy): a draw published this year must replay the same next
//! year.

use std::fmt;

use safewalk_core::Lang;

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// The name of this algorithm, recorded with every draw: a future change to it must get a
/// new name and keep this one for replaying old draws.
pub const ALGORITHM: &str = "chacha20-fisher-yates-v1";

/// One drawn site and the inspectors paired with it (ids, inspectors in the order drawn).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pair {
    pub site: String,
    pub inspectors: Vec<String>,
}

/// Why a draw cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DrawError {
    /// Asked for more sites than the pool holds (or for none).
    Sites { wanted: usize, pool: usize },
    /// Asked for more inspectors per site than the pool holds (or for none).
    Inspectors { wanted: usize, pool: usize },
}

impl DrawError {
    /// What was wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DrawError::Sites { wanted, pool }, Lang::Zh) => format!("要抽取 {wanted} 个场所，但场所库只有 {pool} 个（至少抽 1 个）"),
            (DrawError::Sites { wanted, pool }, Lang::En) => {
                format!("{wanted} sites wanted, the pool of sites holds {pool} (draw at least 1)")
            }
            (DrawError::Inspectors { wanted, pool }, Lang::Zh) => {
                format!("每个场所要 {wanted} 名检查人员，但人员库只有 {pool} 名（至少 1 名）")
            }
            (DrawError::Inspectors { wanted, pool }, Lang::En) => {
                format!("{wanted} inspectors per site wanted, the pool of inspectors holds {pool} (at least 1)")
            }
        }
    }
}

impl fmt::Display for DrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} · {}", self.message(Lang::Zh), self.message(Lang::En))
    }
}

impl std::error::Error for DrawError {}

/// A pool in its canonical order: sorted, each id once. The order rows come out of a
/// database cannot change a draw.
pub fn canonical(pool: &[String]) -> Vec<String> {
    let mut pool = pool.to_vec();
    pool.sort();
    pool.dedup();
    pool
}

/// A number below `bound` from the stream, without the bias of a bare `% bound` (draws above
/// the largest multiple of `bound` are thrown away).
fn below(rng: &mut ChaCha20Rng, bound: u64) -> u64 {
    let zone = u64::MAX - (u64::MAX % bound);
    loop {
        let value = rng.next_u64();
        if value < zone {
            return value % bound;
        }
    }
}

/// `count` distinct entries of `pool` in the order drawn: the first `count` steps of a
/// Fisher–Yates shuffle.
fn choose(rng: &mut ChaCha20Rng, pool: &[String], count: usize) -> Vec<String> {
    let mut order: Vec<usize> = (0..pool.len()).collect();
    for step in 0..count {
        let pick = step + below(rng, (pool.len() - step) as u64) as usize;
        order.swap(step, pick);
    }
    order[..count].iter().map(|&n| pool[n].clone()).collect()
}

/// Draws `n` sites from `site_pool` and pairs each with `k` distinct inspectors from
/// `inspector_pool` (an inspector may be drawn for several sites). Both pools are taken in
/// their [`canonical`] order; the same seed and pools always give the same pairs.
pub fn draw(seed: u64, site_pool: &[String], inspector_pool: &[String], n: usize, k: usize) -> Result<Vec<Pair>, DrawError> {
    let (sites, inspectors) = (canonical(site_pool), canonical(inspector_pool));
    if n == 0 || n > sites.len() {
        return Err(DrawError::Sites { wanted: n, pool: sites.len() });
    }
    if k == 0 || k > inspectors.len() {
        return Err(DrawError::Inspectors { wanted: k, pool: inspectors.len() });
    }
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let drawn = choose(&mut rng, &sites, n);
    Ok(drawn.into_iter().map(|site| Pair { site, inspectors: choose(&mut rng, &inspectors, k) }).collect())
}

/// A fresh seed from the operating system's random source.
pub fn new_seed() -> Result<u64, String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
    Ok(u64::from_le_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(prefix: &str, count: usize) -> Vec<String> {
        (0..count).map(|n| format!("{prefix}{n:03}")).collect()
    }

    #[test]
    fn the_same_seed_and_pools_give_the_same_pairs() {
        let (sites, inspectors) = (ids("site-", 40), ids("person-", 9));
        let first = draw(20261203, &sites, &inspectors, 10, 2).unwrap();
        assert_eq!(first, draw(20261203, &sites, &inspectors, 10, 2).unwrap());
        assert_ne!(first, draw(20261204, &sites, &inspectors, 10, 2).unwrap(), "another seed, another draw");
        assert_eq!(first.len(), 10);
    }

    #[test]
    fn the_order_of_the_pools_cannot_change_the_draw() {
        let (sites, inspectors) = (ids("site-", 25), ids("person-", 6));
        let mut shuffled_sites = sites.clone();
        shuffled_sites.reverse();
        shuffled_sites.swap(3, 17);
        let mut repeated_inspectors = inspectors.clone();
        repeated_inspectors.reverse();
        repeated_inspectors.push(inspectors[2].clone());
        assert_eq!(draw(7, &sites, &inspectors, 5, 3).unwrap(), draw(7, &shuffled_sites, &repeated_inspectors, 5, 3).unwrap());
    }

    #[test]
    fn sites_are_distinct_and_each_site_has_distinct_inspectors_from_the_pools() {
        let (sites, inspectors) = (ids("site-", 12), ids("person-", 4));
        for seed in 0..50 {
            let pairs = draw(seed, &sites, &inspectors, 12, 4).unwrap();
            let mut drawn: Vec<&String> = pairs.iter().map(|p| &p.site).collect();
            drawn.sort();
            assert_eq!(drawn, sites.iter().collect::<Vec<_>>(), "all twelve, each once");
            for pair in &pairs {
                let mut team = pair.inspectors.clone();
                team.sort();
                assert_eq!(team, inspectors, "seed {seed}: four distinct of four");
            }
        }
    }

    #[test]
    fn every_site_can_be_drawn() {
        // Over many seeds each of 5 sites comes first about a fifth of the time: no site is
        // left out or favoured by an off-by-one in the sampling.
        let sites = ids("site-", 5);
        let inspectors = ids("person-", 3);
        let mut firsts = [0usize; 5];
        for seed in 0..2_000 {
            let pair = &draw(seed, &sites, &inspectors, 1, 1).unwrap()[0];
            firsts[sites.iter().position(|s| *s == pair.site).unwrap()] += 1;
        }
        assert!(firsts.iter().all(|&n| (300..500).contains(&n)), "{firsts:?}");
    }

    #[test]
    fn a_draw_larger_than_its_pool_is_refused_clearly() {
        let (sites, inspectors) = (ids("site-", 3), ids("person-", 2));
        assert_eq!(draw(1, &sites, &inspectors, 4, 2), Err(DrawError::Sites { wanted: 4, pool: 3 }));
        assert_eq!(draw(1, &sites, &inspectors, 0, 2), Err(DrawError::Sites { wanted: 0, pool: 3 }));
        assert_eq!(draw(1, &sites, &inspectors, 3, 3), Err(DrawError::Inspectors { wanted: 3, pool: 2 }));
        assert_eq!(draw(1, &sites, &[], 1, 1), Err(DrawError::Inspectors { wanted: 1, pool: 0 }));
        let message = DrawError::Sites { wanted: 4, pool: 3 }.to_string();
        assert!(message.contains("4 sites wanted, the pool of sites holds 3") && message.contains("场所库只有 3 个"), "{message}");
    }

    #[test]
    fn a_published_draw_replays_to_the_same_pairs() {
        // Pinned: if this changes, every published draw would replay differently. Change
        // ALGORITHM and keep the old sampling instead.
        let pairs = draw(42, &ids("s", 6), &ids("p", 4), 2, 2).unwrap();
        let pinned: Vec<(String, Vec<String>)> = pairs.into_iter().map(|p| (p.site, p.inspectors)).collect();
        assert_eq!(pinned, PINNED.iter().map(|(s, i)| (s.to_string(), i.iter().map(|x| x.to_string()).collect())).collect::<Vec<_>>());
    }

    const PINNED: [(&str, [&str; 2]); 2] = [("s002", ["p001", "p000"]), ("s001", ["p001", "p003"])];
}
