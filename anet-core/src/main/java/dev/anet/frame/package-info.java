/**
 * The anet wire format: encode and decode frames on blocking NIO channels with reused buffers.
 *
 * <pre>
 * +--------+----------------+------------------------+
 * | length | task id        | body                   |
 * | uint16 | uint32         | 0..65531 bytes         |
 * +--------+----------------+------------------------+
 *  length = 4 + body length, big-endian
 * </pre>
 */
@NullMarked
package dev.anet.frame;

import org.jspecify.annotations.NullMarked;
