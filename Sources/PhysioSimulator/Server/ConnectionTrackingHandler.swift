import HummingbirdCore
import NIOCore

/// Sits after HTTP decoding on every connection: reports it to the `ConnectionGate`, and while the gate holds
/// it back (connection cap, `stall`), buffers its requests instead of passing them on.
final class ConnectionTrackingHandler: ChannelInboundHandler, RemovableChannelHandler {
    // Parts pass through untouched, so their type (NIOHTTPTypes.HTTPRequestPart) is never unwrapped here.
    typealias InboundIn = NIOAny
    typealias InboundOut = NIOAny

    private enum Phase {
        case admitted
        case waiting(id: Int)
        case refused
    }

    private let gate: ConnectionGate
    private var client = "unknown"
    private var phase = Phase.refused
    private var held: [NIOAny] = []
    private var left = false

    init(gate: ConnectionGate) {
        self.gate = gate
    }

    func handlerAdded(context: ChannelHandlerContext) {
        client = context.channel.remoteAddress?.ipAddress ?? "unknown"
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        switch gate.arrive(client: client, wake: { eventLoop.execute { bound.value.0.admit(context: bound.value.1) } }) {
        case .admitted:
            phase = .admitted
        case .refused:
            phase = .refused
            context.close(promise: nil)
        case .waiting(let id):
            phase = .waiting(id: id)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch phase {
        case .admitted: context.fireChannelRead(data)
        case .waiting: held.append(data)
        case .refused: break
        }
    }

    private func admit(context: ChannelHandlerContext) {
        guard case .waiting = phase, !left else {
            // Closed meanwhile: hand the slot straight back.
            if left { gate.leave(client: client) }
            return
        }
        phase = .admitted
        let pending = held
        held = []
        for data in pending { context.fireChannelRead(data) }
        if !pending.isEmpty { context.fireChannelReadComplete() }
    }

    private func release() {
        guard !left else { return }
        left = true
        switch phase {
        case .admitted: gate.leave(client: client)
        case .waiting(let id): gate.abandon(client: client, id: id)
        case .refused: break
        }
    }
}
