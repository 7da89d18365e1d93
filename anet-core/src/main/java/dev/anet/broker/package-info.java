/**
 * The multiplexed broker: many requests in flight per connection, answers matched by task id.
 */
@NullMarked
package dev.anet.broker;

import org.jspecify.annotations.NullMarked;
