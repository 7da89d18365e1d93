package dev.anet.boot.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The anet observations. Their names are those of the timers they replace, with the same
 * low-cardinality tags, so dashboards built on the timers keep working.
 */
public enum AnetObservationDocumentation implements ObservationDocumentation {

	/**
	 * A broker request, from the call to the answer or the failure (kind CLIENT).
	 */
	BROKER_REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultAnetBrokerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return BrokerLowCardinalityTags.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityTags.values();
		}

	},

	/**
	 * A request handled by the anet server, around its handler run (kind SERVER).
	 */
	SERVER_REQUEST {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultAnetServerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return ServerLowCardinalityTags.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityTags.values();
		}

	};

	/**
	 * Low-cardinality tags of {@link #BROKER_REQUEST}.
	 */
	public enum BrokerLowCardinalityTags implements KeyName {

		/**
		 * The client's name, {@code default} for the default client ({@code anet.pool.addresses}),
		 * the name of an {@code anet.clients.<name>} client: as the anet meters have it. Known from
		 * the start (the long task timer has it too).
		 */
		CLIENT {

			@Override
			public String asString() {
				return "client";
			}

		},

		/**
		 * How the request ended: {@code success}, {@code timeout}, {@code rejected} or {@code error}.
		 * Set when the observation stops.
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		},

		/**
		 * The simple class name of what the caller got ({@code AnetTimeoutException},
		 * {@code ConnectionLostException}, ...), {@code none} on success: as the meter binder's
		 * timer has it. Set when the observation stops.
		 */
		EXCEPTION {

			@Override
			public String asString() {
				return "exception";
			}

		}

	}

	/**
	 * Low-cardinality tags of {@link #SERVER_REQUEST}.
	 */
	public enum ServerLowCardinalityTags implements KeyName {

		/**
		 * The route: the {@code @AnetHandler} prefix, {@code 0x} and its hex, {@code default}, or
		 * {@code none} for a request no route took.
		 */
		ROUTE {

			@Override
			public String asString() {
				return "route";
			}

		},

		/**
		 * How the request ended: {@code success}, {@code error}, {@code no-response} or
		 * {@code unrouted}.
		 */
		OUTCOME {

			@Override
			public String asString() {
				return "outcome";
			}

		}

	}

	/**
	 * High-cardinality tags of both observations, set when the observation stops; their values are
	 * made only when a handler reads them (a tracer does, the meter handler does not).
	 */
	public enum HighCardinalityTags implements KeyName {

		/**
		 * The peer's address, {@code host:port}: the server for a broker request, the client for a
		 * handled one.
		 */
		REMOTE_ADDRESS {

			@Override
			public String asString() {
				return "anet.remote.address";
			}

		},

		/**
		 * The request's task id (unsigned).
		 */
		TASK_ID {

			@Override
			public String asString() {
				return "anet.task.id";
			}

		},

		/**
		 * The request body's size in bytes.
		 */
		BODY_SIZE {

			@Override
			public String asString() {
				return "anet.body.size";
			}

		}

	}

}
