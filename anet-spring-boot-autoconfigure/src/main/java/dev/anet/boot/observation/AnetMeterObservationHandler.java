package dev.anet.boot.observation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler.IgnoredMeters;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * The meter handler of anet's observations ({@link AnetBrokerRequestContext},
 * {@link AnetServerRequestContext}; it supports no other context). It makes the same meters as
 * Micrometer's {@link DefaultMeterObservationHandler}, the one Spring Boot configures: a timer
 * named as the observation, tagged with its low-cardinality keys at the stop and {@code error}
 * (the simple class name of the observation's error, {@code none} without one), and, unless
 * {@link IgnoredMeters#LONG_TASK_TIMER} is ignored, a long task timer {@code <name>.active} tagged
 * with the low-cardinality keys at the start. Each meter is registered the way that handler
 * registers it.
 *
 * <p>Unlike that handler, it looks the meters up once per name and tag set and keeps them (the
 * tag sets of anet's conventions are few: a client or route and an outcome), instead of building
 * a meter id and looking it up in the registry at every start and stop, and it keeps the start
 * time in the context instead of a {@link Timer.Sample} in the context's map. Past
 * {@value #CACHE_LIMIT} tag sets of one name (a custom convention with a tag of many values), the
 * meters of new sets are registered at each use, as that handler does. A meter removed from the
 * registry stays in use here.
 */
public class AnetMeterObservationHandler implements MeterObservationHandler<Observation.Context> {

	/** The most tag sets of one name kept, for each kind of meter. */
	static final int CACHE_LIMIT = 256;

	private static final String ERROR_TAG = "error";

	private static final String NO_ERROR = "none";

	private final MeterRegistry registry;

	private final Clock clock;

	private final boolean longTaskTimer;

	private final Map<String, NameMeters> names = new ConcurrentHashMap<>();

	/**
	 * Create the handler.
	 * @param registry the registry of the meters
	 * @param ignored the meters not to make, as {@link DefaultMeterObservationHandler} takes them
	 */
	public AnetMeterObservationHandler(MeterRegistry registry, IgnoredMeters... ignored) {
		this.registry = registry;
		this.clock = registry.config().clock();
		this.longTaskTimer = !Arrays.asList(ignored).contains(IgnoredMeters.LONG_TASK_TIMER);
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof AnetBrokerRequestContext || context instanceof AnetServerRequestContext;
	}

	@Override
	public void onStart(Observation.Context context) {
		LongTaskTimer.@Nullable Sample active = null;
		if (this.longTaskTimer) {
			active = meters(context).active(context.getLowCardinalityKeyValues()).start();
		}
		setState(context, new MeterState(this.clock.monotonicTime(), active));
	}

	@Override
	public void onStop(Observation.Context context) {
		MeterState state = (MeterState) state(context);
		if (state == null) {
			throw new IllegalStateException("Observation " + context.getName() + " stopped without being started");
		}
		Timer timer = meters(context).timer(context.getLowCardinalityKeyValues(), context.getError());
		timer.record(this.clock.monotonicTime() - state.startNanos(), TimeUnit.NANOSECONDS);
		LongTaskTimer.Sample active = state.active();
		if (active != null) {
			active.stop();
		}
	}

	@Override
	public void onEvent(Observation.Event event, Observation.Context context) {
		// anet's observations signal no events: as DefaultMeterObservationHandler, not kept
		Counter.builder(context.getName() + "." + event.getName())
			.tags(tags(context.getLowCardinalityKeyValues()))
			.register(this.registry)
			.increment();
	}

	private NameMeters meters(Observation.Context context) {
		String name = context.getName();
		NameMeters meters = this.names.get(name);
		if (meters == null) {
			meters = new NameMeters(name);
			if (this.names.size() < CACHE_LIMIT) {
				NameMeters other = this.names.putIfAbsent(name, meters);
				meters = (other != null) ? other : meters;
			}
		}
		return meters;
	}

	private static @Nullable Object state(Observation.Context context) {
		return (context instanceof AnetBrokerRequestContext broker) ? broker.meterState
				: ((AnetServerRequestContext) context).meterState;
	}

	private static void setState(Observation.Context context, MeterState state) {
		if (context instanceof AnetBrokerRequestContext broker) {
			broker.meterState = state;
		}
		else {
			((AnetServerRequestContext) context).meterState = state;
		}
	}

	/** The tags DefaultMeterObservationHandler makes of the key values, in their order. */
	private static List<Tag> tags(KeyValues keyValues) {
		List<Tag> tags = new ArrayList<>();
		for (KeyValue keyValue : keyValues) {
			tags.add(Tag.of(keyValue.getKey(), keyValue.getValue()));
		}
		return tags;
	}

	/**
	 * What the start leaves for the stop, kept in the context (instead of the context's map, which
	 * the first entry makes allocate its table).
	 * @param startNanos the clock's monotonic time at the start
	 * @param active the long task timer's sample, or {@code null} without one
	 */
	private record MeterState(long startNanos, LongTaskTimer.@Nullable Sample active) {
	}

	/** The meters of one observation name, by tag set. */
	private final class NameMeters {

		private final String name;

		private final String activeName;

		private final Map<KeyValues, LongTaskTimer> active = new ConcurrentHashMap<>();

		private final Map<KeyValues, Timers> timers = new ConcurrentHashMap<>();

		NameMeters(String name) {
			this.name = name;
			this.activeName = name + ".active";
		}

		LongTaskTimer active(KeyValues keyValues) {
			LongTaskTimer timer = this.active.get(keyValues);
			if (timer == null) {
				AnetMeterObservationHandler handler = AnetMeterObservationHandler.this;
				timer = handler.registry.more().longTaskTimer(this.activeName, tags(keyValues));
				if (this.active.size() < CACHE_LIMIT) {
					this.active.putIfAbsent(keyValues, timer);
				}
			}
			return timer;
		}

		Timer timer(KeyValues keyValues, @Nullable Throwable error) {
			Timers timers = this.timers.get(keyValues);
			if (timers == null) {
				timers = new Timers(this.name, tags(keyValues));
				if (this.timers.size() < CACHE_LIMIT) {
					Timers other = this.timers.putIfAbsent(keyValues, timers);
					timers = (other != null) ? other : timers;
				}
			}
			return timers.timer(error);
		}

	}

	/** The timers of one name and tag set, by error. */
	private final class Timers {

		private final String name;

		private final List<Tag> tags;

		/** The one without an error (registered at its first use, as every meter here). */
		private volatile @Nullable Timer none;

		/** By the error's class: its simple name is the {@code error} tag. */
		private final Map<Class<?>, Timer> errors = new ConcurrentHashMap<>();

		Timers(String name, List<Tag> tags) {
			this.name = name;
			this.tags = tags;
		}

		Timer timer(@Nullable Throwable error) {
			if (error == null) {
				Timer none = this.none;
				if (none == null) {
					none = register(NO_ERROR);
					this.none = none;
				}
				return none;
			}
			Timer timer = this.errors.get(error.getClass());
			if (timer == null) {
				timer = register(error.getClass().getSimpleName());
				if (this.errors.size() < CACHE_LIMIT) {
					this.errors.putIfAbsent(error.getClass(), timer);
				}
			}
			return timer;
		}

		private Timer register(String error) {
			List<Tag> tags = new ArrayList<>(this.tags);
			tags.add(Tag.of(ERROR_TAG, error));
			return AnetMeterObservationHandler.this.registry.timer(this.name, tags);
		}

	}

}
