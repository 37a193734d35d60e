/// Values by component, holding only the components that have one: a bit per component says
/// which are present, and their values are stored in the tuple's order. A behavior declares two
/// or three of its seven components, and a large mapping holds a hundred thousand behaviors; a
/// dictionary kept a hash table of about 300 bytes per behavior for each of its sources, their
/// marks and their resolved values.
public struct ComponentMap<Value> {
  /// Bit `ordinal` is set for each component present.
  private var present: UInt8 = 0
  /// The present components' values, in the tuple's order.
  private var storage: [Value] = []

  /// An empty map.
  public init() {}

  /// An empty map with room for `count` components, so that filling it allocates once.
  public init(minimumCapacity count: Int) {
    storage.reserveCapacity(count)
  }

  /// The position in `storage` of the component at `ordinal`: the present ones before it.
  private func position(of ordinal: Int) -> Int {
    (present & (UInt8(1) << ordinal &- 1)).nonzeroBitCount
  }

  /// The component's value, or nil when it has none; assigning nil removes it.
  public subscript(component: Component) -> Value? {
    get {
      let bit = UInt8(1) << component.ordinal
      guard present & bit != 0 else { return nil }
      return storage[position(of: component.ordinal)]
    }
    set {
      let bit = UInt8(1) << component.ordinal
      let index = position(of: component.ordinal)
      switch (present & bit != 0, newValue) {
      case (true, let value?): storage[index] = value
      case (true, nil):
        storage.remove(at: index)
        present &= ~bit
      case (false, let value?):
        storage.insert(value, at: index)
        present |= bit
      case (false, nil): break
      }
    }
  }

  /// The components present, in the tuple's order.
  public var keys: [Component] {
    Component.allCases.filter { present & (UInt8(1) << $0.ordinal) != 0 }
  }

  /// The values present, in the tuple's order.
  public var values: [Value] { storage }

  /// How many components are present.
  public var count: Int { storage.count }

  public var isEmpty: Bool { storage.isEmpty }
}

extension ComponentMap: Sendable where Value: Sendable {}
extension ComponentMap: Equatable where Value: Equatable {}
extension ComponentMap: Hashable where Value: Hashable {}
