/// The collective operations the trainer needs; `LocalCommunicator` is the size-1 implementation.
public protocol Communicator: AnyObject {
  var rank: Int { get }
  var size: Int { get }
}
