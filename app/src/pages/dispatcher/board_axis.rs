//! The board's time axis: where a visit's block sits on its lane, and the
//! rows that keep overlapping windows apart. Layout only, no I/O.

/// The hours the axis shows, in minutes after local midnight: 08:00–20:00.
pub const AXIS_FROM: u32 = 8 * 60;
pub const AXIS_UNTIL: u32 = 20 * 60;

/// The axis' hour marks, 08:00 to 20:00.
pub fn hour_marks() -> impl Iterator<Item = u32> {
    (AXIS_FROM / 60..=AXIS_UNTIL / 60).map(|hour| hour * 60)
}

/// The axis is cut into quarter hours: a block starts and ends on one.
/// (The page's content security policy allows no inline styles, so each
/// place is a rule in the style sheet, one per quarter hour.)
pub const SLOT_MINUTES: u32 = 15;
pub const SLOTS: u32 = (AXIS_UNTIL - AXIS_FROM) / SLOT_MINUTES;
/// The narrowest block, in quarter hours: room for a name.
const MIN_SPAN: u32 = 2;
/// The most rows a lane draws; more overlapping windows share the last.
pub const MAX_ROWS: usize = 8;

/// The quarter hour a minute of the day falls nearest, on the axis.
pub fn slot_of(minute: u32) -> u32 {
    let minute = minute.clamp(AXIS_FROM, AXIS_UNTIL) - AXIS_FROM;
    (minute + SLOT_MINUTES / 2) / SLOT_MINUTES
}

/// Where a window of local minutes sits on the axis: its first quarter hour
/// and how many it spans. A window before or after the axis is drawn at
/// its edge, at the narrowest, so no visit is ever off the board.
pub fn placement((from, until): (u32, u32)) -> (u32, u32) {
    let first = slot_of(from).min(SLOTS - MIN_SPAN);
    let span = slot_of(until.max(from))
        .saturating_sub(first)
        .clamp(MIN_SPAN, SLOTS - first);
    (first, span)
}

/// A row for each window so that no two overlapping windows share one:
/// each takes the first row free at its start, in start order. Answers the
/// row of each window, as given, and how many rows there are.
pub fn rows(windows: &[(u32, u32)]) -> (Vec<usize>, usize) {
    let mut order: Vec<usize> = (0..windows.len()).collect();
    order.sort_by_key(|&index| (windows[index].0, windows[index].1, index));
    // Each row's end: the minute its last window ends.
    let mut ends: Vec<u32> = Vec::new();
    let mut row_of = vec![0; windows.len()];
    for index in order {
        let (from, until) = windows[index];
        let row = match ends.iter().position(|&end| end <= from) {
            Some(row) => row,
            None => {
                ends.push(0);
                ends.len() - 1
            }
        };
        ends[row] = until.max(from);
        row_of[index] = row;
    }
    let count = ends.len().clamp(1, MAX_ROWS);
    (
        row_of
            .into_iter()
            .map(|row| row.min(MAX_ROWS - 1))
            .collect(),
        count,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_window_sits_at_its_quarter_hours_and_one_outside_the_axis_at_its_edge() {
        assert_eq!(placement((8 * 60, 20 * 60)), (0, 48));
        assert_eq!(placement((14 * 60, 16 * 60)), (24, 8));
        // 10:07–11:52 to the nearest quarter hours, 10:00–11:45.
        assert_eq!(placement((10 * 60 + 7, 11 * 60 + 52)), (8, 7));
        assert_eq!(placement((21 * 60, 23 * 60)), (46, 2));
        assert_eq!(placement((6 * 60, 7 * 60)), (0, 2));
        assert_eq!(hour_marks().count(), 13);
    }

    #[test]
    fn overlapping_windows_take_separate_rows_and_others_share() {
        let windows = [(600, 720), (660, 780), (720, 840), (900, 960)];
        let (row_of, count) = rows(&windows);
        assert_eq!(row_of, vec![0, 1, 0, 0]);
        assert_eq!(count, 2);
        assert_eq!(rows(&[]), (vec![], 1));
    }

    proptest! {
        #[test]
        fn no_two_overlapping_windows_share_a_row(
            windows in proptest::collection::vec((0u32..1440, 1u32..300), 0..20)
        ) {
            let windows: Vec<(u32, u32)> = windows.into_iter().map(|(from, long)| (from, from + long)).collect();
            let (row_of, count) = rows(&windows);
            for a in 0..windows.len() {
                prop_assert!(row_of[a] < count);
                for b in a + 1..windows.len() {
                    let overlap = windows[a].0 < windows[b].1 && windows[b].0 < windows[a].1;
                    prop_assert!(!(overlap && row_of[a] == row_of[b]), "{:?} {:?}", windows[a], windows[b]);
                }
            }
        }

        #[test]
        fn a_block_stays_on_the_axis(from in 0u32..1440, long in 0u32..600) {
            let (first, span) = placement((from, from + long));
            prop_assert!(span >= MIN_SPAN && first + span <= SLOTS);
        }
    }
}
