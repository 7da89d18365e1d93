package dev.anet.boot.wire;

import dev.anet.broker.BrokerExchange;
import dev.anet.broker.BrokerInterceptor;

import org.springframework.core.Ordered;

/**
 * Logs the broker's frames: each request with its answer when the answer comes (that is when its
 * task id and connection are known), or alone when it fails. It is the innermost interceptor
 * ({@link Ordered#LOWEST_PRECEDENCE}), so it logs the request as sent and the answer as received.
 */
public class WireLogBrokerInterceptor implements BrokerInterceptor, Ordered {

	private final WireLog log;

	public WireLogBrokerInterceptor(WireLog log) {
		this.log = log;
	}

	@Override
	public byte[] afterAnswer(BrokerExchange exchange, byte[] answer) {
		if (this.log.isEnabled()) {
			this.log.frame(true, exchange.remoteAddress(), exchange.taskId(), exchange.request());
			this.log.frame(false, exchange.remoteAddress(), exchange.taskId(), answer);
		}
		return answer;
	}

	@Override
	public void onFailure(BrokerExchange exchange, Throwable failure) {
		if (this.log.isEnabled() && exchange.remoteAddress() != null) {
			this.log.frame(true, exchange.remoteAddress(), exchange.taskId(), exchange.request());
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
