package dev.anet.boot.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code anet.pool.addresses} has at least one address, in any form the binder
 * accepts ({@code a,b}, {@code addresses[0]=a}, a YAML list).
 */
class OnPoolAddressesCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("anet pool addresses");
		List<String> addresses = Binder.get(context.getEnvironment())
			.bind("anet.pool.addresses", Bindable.listOf(String.class))
			.orElse(List.of());
		if (addresses.isEmpty()) {
			return ConditionOutcome.noMatch(message.didNotFind("property").items("anet.pool.addresses"));
		}
		return ConditionOutcome.match(message.found("property").items("anet.pool.addresses"));
	}

}
