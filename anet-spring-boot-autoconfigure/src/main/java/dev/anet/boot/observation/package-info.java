/**
 * Micrometer Observation of anet: broker requests (kind CLIENT) and handled requests (kind SERVER),
 * documented by {@link dev.anet.boot.observation.AnetObservationDocumentation}.
 */
@NullMarked
package dev.anet.boot.observation;

import org.jspecify.annotations.NullMarked;
