//! POSIX TZ strings that glibc parses itself: zone names, offsets, and a
//! DST name without a rule (`__tzfile_default`'s rewrite of `posixrules`).

use jiff::tz::TimeZone;

use super::tzif::Tzif;
use super::zone::{ZoneInfo, jiff_info};

/// What glibc's `__tzfile_default` makes of a POSIX TZ string with a DST
/// name but no rule: the transitions of the `posixrules` file (normally
/// America/New_York), shifted to the string's offsets and names, and from the
/// file's last transition on, the file's own footer rule (so `EST`/`EDT`).
#[derive(Debug, Clone)]
pub(super) struct DefaultRules {
    /// Standard and DST names.
    names: [String; 2],
    /// Standard and DST offsets, seconds east.
    offsets: [i32; 2],
    /// Transition instants, ascending, and whether each one starts DST.
    transitions: Vec<(i64, bool)>,
    /// The file's footer rule.
    footer: Option<TimeZone>,
}

impl DefaultRules {
    /// glibc's `__tzfile_compute` on the rewritten `posixrules` data.
    pub(super) fn info(&self, t: i64) -> ZoneInfo {
        let dst = match self.transitions.last() {
            Some(&(last, _)) if t >= last => {
                if let Some(footer) = &self.footer {
                    return jiff_info(footer, t);
                }
                self.transitions.last().is_some_and(|&(_, dst)| dst)
            }
            _ => {
                let after = self.transitions.partition_point(|&(at, _)| at <= t);
                after
                    .checked_sub(1)
                    .and_then(|i| self.transitions.get(i))
                    .is_some_and(|&(_, dst)| dst)
            }
        };
        let which = usize::from(dst);
        ZoneInfo {
            offset: self.offsets.get(which).copied().unwrap_or(0),
            dst,
            abbrev: self.names.get(which).cloned().unwrap_or_default(),
        }
    }
}

/// glibc's `parse_tzname`: three or more ASCII letters, or `<…>` quoting
/// three or more letters, digits, `+` or `-`.  Returns the name and the rest.
pub(super) fn parse_tzname(spec: &str) -> Option<(&str, &str)> {
    let alpha = spec.bytes().take_while(u8::is_ascii_alphabetic).count();
    if alpha >= 3 {
        return Some((spec.get(..alpha)?, spec.get(alpha..)?));
    }
    let rest = spec.strip_prefix('<')?;
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'-')
        .count();
    let after = rest.get(len..)?.strip_prefix('>')?;
    (len >= 3).then_some((rest.get(..len)?, after))
}

/// glibc's `parse_offset`: `[+-]hh[:mm[:ss]]`, west positive; returns
/// seconds east and the rest, or `None` if no hours were found.
fn parse_offset(spec: &str) -> Option<(i32, &str)> {
    let (sign, mut rest) = match spec.as_bytes().first() {
        Some(b'-') => (1, spec.get(1..)?),
        Some(b'+') => (-1, spec.get(1..)?),
        _ => (-1, spec),
    };
    let mut total = 0;
    for (i, (max, unit)) in [(24, 3600), (59, 60), (59, 1)].into_iter().enumerate() {
        let field = if i == 0 {
            rest
        } else {
            match rest.strip_prefix(':') {
                Some(field) if field.starts_with(|c: char| c.is_ascii_digit()) => field,
                _ => break,
            }
        };
        let digits = field.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let value: i32 = field.get(..digits)?.parse().unwrap_or(i32::MAX);
        total += value.min(max) * unit;
        rest = field.get(digits..)?;
    }
    Some((sign * total, rest))
}

/// glibc's `__tzset_parse_tz` + `__tzfile_default` for `std offset dst
/// [offset]` with no rule: the `posixrules` file's transitions rewritten.
pub(super) fn default_rules(spec: &str, tzdir: &str) -> Option<DefaultRules> {
    let (std_name, rest) = parse_tzname(spec)?;
    if !rest.starts_with(|c: char| c == '+' || c == '-' || c.is_ascii_digit()) {
        return None;
    }
    let (std_off, rest) = parse_offset(rest)?;
    let (dst_name, rest) = parse_tzname(rest)?;
    let (dst_off, rest) = parse_offset(rest).unwrap_or((std_off + 3600, rest));
    if !rest.is_empty() && rest != "," {
        return None;
    }
    let file = Tzif::parse(&std::fs::read(format!("{tzdir}/posixrules")).ok()?)?;
    if file.types.len() < 2 {
        return None;
    }
    let type_of = |i: u8| file.types.get(usize::from(i));
    // The file's standard offset: that of its last standard-time transition.
    // Its DST offset, which glibc 2.36 as patched by Debian no longer
    // computes, is whatever the previous parse left.  glibc parses `TZ` again
    // on every `tzset` and `mktime` (so on Python's `time.tzset()`,
    // `time.mktime()` and `%s`), and from the second parse on that is the
    // string's own DST offset: DST then ends at the file's UTC instants.  We
    // reproduce that settled state, not the first parse (where it is 0).
    let rule_std = match file.transitions.is_empty() {
        true => file.types.first().map_or(0, |ty| ty.offset),
        false => file
            .transitions
            .iter()
            .rev()
            .filter_map(|&(_, ty)| type_of(ty))
            .find(|ty| !ty.dst)
            .map_or(0, |ty| ty.offset),
    };
    let rule_dst = dst_off;
    let mut in_dst = false;
    let mut transitions = Vec::with_capacity(file.transitions.len());
    for &(at, ty) in &file.transitions {
        let ty = type_of(ty)?;
        let shift = if ty.ut {
            0
        } else if in_dst && !ty.std {
            i64::from(dst_off) - i64::from(rule_dst)
        } else {
            i64::from(std_off) - i64::from(rule_std)
        };
        let at = at.saturating_add(shift);
        transitions.push((at, ty.dst));
        in_dst = ty.dst;
    }
    Some(DefaultRules {
        names: [std_name.to_string(), dst_name.to_string()],
        offsets: [std_off, dst_off],
        transitions,
        footer: file.footer.and_then(|f| TimeZone::posix(&f).ok()),
    })
}
