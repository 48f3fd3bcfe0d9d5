//! The parts of a TZif file (RFC 8536) that glibc's `__tzfile_default` uses.

/// The parts of a TZif file `__tzfile_default` uses.
pub(super) struct Tzif {
    /// Transition instants and the index of the type each one starts.
    pub(super) transitions: Vec<(i64, u8)>,
    pub(super) types: Vec<TzifType>,
    pub(super) footer: Option<String>,
}

pub(super) struct TzifType {
    pub(super) offset: i32,
    pub(super) dst: bool,
    /// The transition is given in standard time (`isstd`).
    pub(super) std: bool,
    /// The transition is given in UT (`isut`).
    pub(super) ut: bool,
}

impl Tzif {
    pub(super) fn parse(data: &[u8]) -> Option<Tzif> {
        const HEADER: usize = 44;
        // The six counts of the header at `at`, in file order: isutcnt,
        // isstdcnt, leapcnt, timecnt, typecnt, charcnt.
        let header = |at: usize| -> Option<[usize; 6]> {
            let block = data.get(at..at.checked_add(HEADER)?)?;
            if block.get(..4)? != b"TZif" {
                return None;
            }
            let mut counts = [0usize; 6];
            for (count, field) in counts.iter_mut().zip(block.get(20..)?.chunks_exact(4)) {
                *count = usize::try_from(u32::from_be_bytes(field.try_into().ok()?)).ok()?;
            }
            Some(counts)
        };
        // Bytes of a data block with `width`-byte times.
        let block_len = |[isut, isstd, leap, time, types, chars]: [usize; 6], width: usize| {
            [
                time.checked_mul(width + 1)?,
                types.checked_mul(6)?,
                chars,
                leap.checked_mul(width + 4)?,
                isstd,
                isut,
            ]
            .into_iter()
            .try_fold(0usize, usize::checked_add)
        };
        let v1 = header(0)?;
        let (start, width, counts) = if data.get(4).is_some_and(|v| *v >= b'2') {
            let v2_at = HEADER.checked_add(block_len(v1, 4)?)?;
            (v2_at.checked_add(HEADER)?, 8, header(v2_at)?)
        } else {
            (HEADER, 4, v1)
        };
        let [isut, isstd, leap, time, types, chars] = counts;
        block_len(counts, width)?;
        let mut at = start;
        let mut take = |n: usize| -> Option<&[u8]> {
            let end = at.checked_add(n)?;
            let slice = data.get(at..end)?;
            at = end;
            Some(slice)
        };
        let times = take(time * width)?;
        let indices = take(time)?;
        let infos = take(types * 6)?;
        take(chars + leap * (width + 4))?;
        let std_flags = take(isstd)?;
        let ut_flags = take(isut)?;
        let footer = data
            .get(at..)
            .and_then(|rest| rest.strip_prefix(b"\n"))
            .and_then(|rest| rest.split(|&b| b == b'\n').next())
            .and_then(|f| std::str::from_utf8(f).ok())
            .filter(|f| !f.is_empty())
            .map(str::to_string);
        let transitions = times
            .chunks_exact(width)
            .zip(indices)
            .map(|(t, &ty)| {
                let t = match *t {
                    [a, b, c, d] => i64::from(i32::from_be_bytes([a, b, c, d])),
                    _ => i64::from_be_bytes(t.try_into().unwrap_or_default()),
                };
                (t, ty)
            })
            .collect();
        let types = infos
            .chunks_exact(6)
            .enumerate()
            .map(|(i, info)| {
                let (offset, dst) = match *info {
                    [a, b, c, d, dst, _] => (i32::from_be_bytes([a, b, c, d]), dst != 0),
                    _ => (0, false),
                };
                TzifType {
                    offset,
                    dst,
                    std: std_flags.get(i).is_some_and(|&f| f != 0),
                    ut: ut_flags.get(i).is_some_and(|&f| f != 0),
                }
            })
            .collect();
        Some(Tzif {
            transitions,
            types,
            footer,
        })
    }
}
