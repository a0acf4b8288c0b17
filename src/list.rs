//! Making and growing the program's `Vec`s without `alloc`'s failure handler.
//!
//! Every `Vec::push`, `with_capacity`, `to_vec` or `vec!` links in what
//! `alloc` does when an allocation fails: a formatted "memory allocation of N
//! bytes failed" and a "capacity overflow" panic, with their source paths,
//! formatter and digit table. That is 446 bytes of the data section, which
//! every call pays for at entry (335 gas), and over 2 KB of code. The
//! program cannot swap that handler on stable Rust, so it never reaches it:
//! its lists are made and grown here, through the same global allocator
//! (the SDK's `mini-alloc`), and a failed allocation traps at once. On chain
//! it cannot fail before gas runs out; memory is paid for by the page.
//!
//! Clippy holds the rest of the crate to this when it checks the WASM build
//! (`clippy/wasm32/clippy.toml` lists the methods and macros that grow a
//! `Vec` by themselves), and `e2e/tests/program.rs` checks that the deployed
//! program carries none of the handler's text.
// The one place the crate allocates by hand; each block says why it is sound.
#![allow(unsafe_code)]

use alloc::vec::Vec;
use core::alloc::Layout;

/// An empty list with room for `capacity` elements.
pub fn with_capacity<T>(capacity: usize) -> Vec<T> {
    let Ok(layout) = Layout::array::<T>(capacity) else {
        out_of_memory(Layout::new::<T>())
    };
    if layout.size() == 0 {
        return Vec::new();
    }
    // SAFETY: the layout's size is not zero.
    let ptr = unsafe { alloc::alloc::alloc(layout) };
    if ptr.is_null() {
        out_of_memory(layout)
    }
    // SAFETY: `ptr` comes from the global allocator with the layout of
    // `capacity` elements of `T`, and no element is claimed initialised.
    unsafe { Vec::from_raw_parts(ptr.cast::<T>(), 0, capacity) }
}

/// `len` zero bytes: the buffer the calldata and the logs are written into.
#[inline]
pub fn zeroed(len: usize) -> Vec<u8> {
    if len == 0 {
        return Vec::new();
    }
    let Ok(layout) = Layout::array::<u8>(len) else {
        out_of_memory(Layout::new::<u8>())
    };
    // SAFETY: the layout's size is not zero.
    let ptr = unsafe { alloc::alloc::alloc_zeroed(layout) };
    if ptr.is_null() {
        out_of_memory(layout)
    }
    // SAFETY: `ptr` comes from the global allocator with the layout of `len`
    // bytes, all of them zeroed, and a zero byte is a valid `u8`.
    unsafe { Vec::from_raw_parts(ptr, len, len) }
}

/// A list holding a copy of `values`, with no room to spare.
pub fn copied<T: Copy>(values: &[T]) -> Vec<T> {
    let mut list = with_capacity(values.len());
    extend(&mut list, values);
    list
}

/// Appends `value`, doubling the room when the list is full.
pub fn push<T: Copy>(list: &mut Vec<T>, value: T) {
    extend(list, core::slice::from_ref(&value));
}

/// Appends a copy of `values`, growing the list when they do not fit.
pub fn extend<T: Copy>(list: &mut Vec<T>, values: &[T]) {
    reserve(list, values.len());
    let len = list.len();
    if let Some(room) = list.spare_capacity_mut().get_mut(..values.len()) {
        room.write_copy_of_slice(values);
        // SAFETY: the `values.len()` elements after `len` were just written,
        // and `reserve` made room for them within the capacity.
        unsafe { list.set_len(len.wrapping_add(values.len())) }
    }
}

/// Makes room for `additional` more elements: a list that must grow moves
/// to an allocation of at least twice its capacity, as `Vec` itself would.
#[inline(always)]
fn reserve<T: Copy>(list: &mut Vec<T>, additional: usize) {
    if list.capacity().wrapping_sub(list.len()) >= additional {
        return;
    }
    let (len, capacity) = (list.len(), list.capacity());
    let old = core::mem::ManuallyDrop::new(core::mem::take(list)).as_mut_ptr();
    let (ptr, capacity) = grow(old.cast(), len, capacity, additional, Layout::new::<T>());
    // SAFETY: `grow` moved the first `len` elements of the old allocation to
    // `ptr`, which the global allocator holds for `capacity` elements of `T`
    // (the layout passed in is `T`'s), and released the old one.
    *list = unsafe { Vec::from_raw_parts(ptr.cast::<T>(), len, capacity) };
}

/// The one body behind every list's growth, in bytes (a generic one would be
/// copied into the program once per element type): a new allocation of at
/// least `len + additional` elements of `element`, with the first `len` of
/// the old one moved into it. Returns the allocation and its capacity.
#[inline(never)]
fn grow(
    old: *mut u8,
    len: usize,
    capacity: usize,
    additional: usize,
    element: Layout,
) -> (*mut u8, usize) {
    let grown = len
        .checked_add(additional)
        .map(|needed| needed.max(capacity.saturating_mul(2)).max(4));
    let layout_of = |count: usize| {
        let size = element.size().checked_mul(count)?;
        Layout::from_size_align(size, element.align()).ok()
    };
    let (Some(grown), Some(before)) = (grown, layout_of(capacity)) else {
        out_of_memory(element)
    };
    let Some(after) = layout_of(grown) else {
        out_of_memory(element)
    };
    let ptr = if before.size() == 0 {
        // SAFETY: only zero-sized lists and lists with no capacity get here
        // with a zero size; a zero-sized `T` never grows (its capacity is
        // unbounded), so `after` is not zero-sized.
        unsafe { alloc::alloc::alloc(after) }
    } else {
        // SAFETY: `old` was allocated by the global allocator with `before`
        // (a `Vec`'s buffer of `capacity` elements), `after` has the same
        // alignment and a larger, non-zero size; `realloc` keeps the first
        // `len` elements and releases the old allocation.
        unsafe { alloc::alloc::realloc(old, before, after.size()) }
    };
    if ptr.is_null() {
        out_of_memory(after)
    }
    (ptr, grown)
}

/// An allocation failed or its size overflowed: stop the call. In the
/// program that is a trap, which reverts; natively it is `alloc`'s handler.
#[cold]
fn out_of_memory(layout: Layout) -> ! {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = layout;
        core::arch::wasm32::unreachable()
    }
    #[cfg(not(target_arch = "wasm32"))]
    alloc::alloc::handle_alloc_error(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_past_the_first_capacity_and_keeps_order() {
        let mut list = with_capacity::<u64>(1);
        for value in 0..100 {
            push(&mut list, value);
        }
        assert_eq!(list, (0..100).collect::<Vec<u64>>());
        assert!(list.capacity() >= 100);
    }

    #[test]
    fn an_empty_list_grows_from_nothing() {
        let mut list: Vec<[u8; 32]> = Vec::new();
        extend(&mut list, &[[1; 32], [2; 32]]);
        push(&mut list, [3; 32]);
        assert_eq!(list, [[1; 32], [2; 32], [3; 32]]);
    }

    #[test]
    fn extend_fills_the_exact_room_without_moving() {
        let mut list = with_capacity::<u8>(6);
        let before = list.as_ptr();
        extend(&mut list, &[1, 2, 3]);
        extend(&mut list, &[4, 5, 6]);
        assert_eq!(list, [1, 2, 3, 4, 5, 6]);
        assert_eq!(list.as_ptr(), before);
        extend(&mut list, &[7]);
        assert_eq!(list, [1, 2, 3, 4, 5, 6, 7]);
        assert!(list.capacity() >= 12);
    }

    #[test]
    fn zeroed_and_copied_hold_what_they_say() {
        assert_eq!(zeroed(5), [0u8; 5]);
        assert!(zeroed(0).is_empty());
        assert_eq!(copied(&[9u16, 8, 7]), [9, 8, 7]);
        assert_eq!(copied::<u16>(&[]), Vec::<u16>::new());
        assert_eq!(with_capacity::<u32>(0).capacity(), 0);
    }

    #[test]
    fn any_sequence_of_pushes_and_extends_builds_what_vec_builds() {
        // Elements of three sizes and alignments through the one `grow`.
        fn check<T: Copy + PartialEq + core::fmt::Debug>(
            start: usize,
            steps: &[Vec<T>],
        ) -> Result<(), proptest::test_runner::TestCaseError> {
            let mut list = with_capacity::<T>(start);
            let mut expected = Vec::new();
            for step in steps {
                match step.as_slice() {
                    [one] => push(&mut list, *one),
                    many => extend(&mut list, many),
                }
                expected.extend_from_slice(step);
                proptest::prop_assert_eq!(&list, &expected);
                proptest::prop_assert!(list.capacity() >= list.len());
            }
            Ok(())
        }
        use proptest::collection::vec;
        proptest::proptest!(|(
            start in 0usize..6,
            bytes in vec(vec(proptest::prelude::any::<u8>(), 0..40), 0..12),
            words in vec(vec(proptest::prelude::any::<[u64; 5]>(), 0..5), 0..12),
            pairs in vec(vec(proptest::prelude::any::<(u16, u128)>(), 0..5), 0..12),
        )| {
            check(start, &bytes)?;
            check(start, &words)?;
            check(start, &pairs)?;
        });
    }

    #[test]
    fn zero_sized_elements_need_no_allocation() {
        let mut list = with_capacity::<()>(3);
        push(&mut list, ());
        extend(&mut list, &[(), ()]);
        assert_eq!(list.len(), 3);
    }
}
