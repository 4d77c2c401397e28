#pragma once

#include <functional>

namespace breakwater {

class AlertManager;
class CallPipeline;
class CircuitBreaker;
class EventStream;
class JsonLogSink;
class MetricsRegistry;

// The state the event stream does not carry, read when scraped: a breaker window's rates, queue
// depths, what the log and the alert channels have done. Each registers series sampled from the
// component, which must then outlive every scrape (stop the endpoint before stopping it).

// breakwater_circuitbreaker_{failure_rate,slow_call_rate,buffered_calls}{service}: the breaker's
// sliding window now. Rates are ratios from 0 to 1, as Prometheus has them (Resilience4j's are
// percentages), and 0 while the window is empty.
void addBreakerMetrics(MetricsRegistry& registry, const CircuitBreaker& breaker);

// breakwater_pipeline_{queued_calls,calls_in_flight}{service}.
void addPipelineMetrics(MetricsRegistry& registry, const CallPipeline& pipeline);

// breakwater_event_stream_{queued_events,published_events_total,dropped_events_total}: how far
// the sinks (the log among them) are behind, and what they had to shed.
void addEventStreamMetrics(MetricsRegistry& registry, const EventStream& stream);

// breakwater_log_{written_events_total,written_bytes_total,write_errors_total,
// dropped_events_total}: app.log.
void addLogMetrics(MetricsRegistry& registry, const JsonLogSink& log);

// breakwater_alert_deliveries_pending and breakwater_alerts_active. Register after the alert
// manager has started; its counts are not to be read while it starts or stops.
void addAlertMetrics(MetricsRegistry& registry, const AlertManager& alerts);

// breakwater_sheets_{queued_rows,dropped_rows_total}: the Sheets sink's backlog and what it gave
// up on, from whatever reports them.
void addSheetsMetrics(MetricsRegistry& registry, std::function<double()> queuedRows,
                      std::function<double()> droppedRows);

} // namespace breakwater
