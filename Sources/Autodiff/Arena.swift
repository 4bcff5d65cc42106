import TensorCore

/// A bump allocator for one training step's activations and gradients.
///
/// `reset()` rewinds it; a step that makes the same requests as the previous one gets the same
/// memory back, so steady-state steps do not call malloc. After a step that overflowed the first
/// block, `reset()` replaces all blocks by one block of the total size used.
public final class Arena<Scalar: TensorScalar> {
  private var blocks: [UnsafeMutableBufferPointer<Scalar>] = []
  private var block = 0
  private var offset = 0
  private var usedThisCycle = 0
  /// Number of blocks ever allocated; stays constant in steady state.
  public private(set) var blockAllocations = 0

  public init(initialCapacity: Int = 1 << 16) {
    appendBlock(capacity: initialCapacity)
  }

  deinit {
    for b in blocks { b.deallocate() }
  }

  /// Scalars handed out since the last reset.
  public var used: Int { usedThisCycle }

  /// Uninitialized memory for `count` scalars, aligned to 64 bytes.
  public func allocate(_ count: Int) -> UnsafeMutablePointer<Scalar> {
    let padded = (count + 15) & ~15
    if offset + padded > blocks[block].count {
      block += 1
      offset = 0
      if block == blocks.count || blocks[block].count < padded {
        appendBlock(capacity: max(padded, blocks[block - 1].count * 2), at: block)
      }
    }
    let p = blocks[block].baseAddress! + offset
    offset += padded
    usedThisCycle += padded
    return p
  }

  /// Memory for `count` scalars, set to zero.
  public func allocateZeroed(_ count: Int) -> UnsafeMutablePointer<Scalar> {
    let p = allocate(count)
    // Not `initialize(repeating:)`: inside the generic tape it runs unspecialized, one call per element.
    Elementwise.fill(p, with: 0, count: count)
    return p
  }

  /// Frees everything handed out; pointers from before become invalid.
  public func reset() {
    if block > 0 {
      let total = usedThisCycle
      for b in blocks { b.deallocate() }
      blocks.removeAll(keepingCapacity: true)
      appendBlock(capacity: total + total / 4)
    }
    block = 0
    offset = 0
    usedThisCycle = 0
  }

  private func appendBlock(capacity: Int, at index: Int? = nil) {
    let raw = UnsafeMutableRawPointer.allocate(
      byteCount: capacity * MemoryLayout<Scalar>.stride, alignment: 64)
    let b = UnsafeMutableBufferPointer(start: raw.bindMemory(to: Scalar.self, capacity: capacity),
                                       count: capacity)
    blockAllocations += 1
    if let index, index < blocks.count {
      blocks.insert(b, at: index)
    } else {
      blocks.append(b)
    }
  }
}
