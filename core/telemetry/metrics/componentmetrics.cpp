#include "componentmetrics.h"

#include "alerts/alertmanager.h"
#include "breaker/circuitbreaker.h"
#include "events/eventstream.h"
#include "metricsregistry.h"
#include "pipeline/callpipeline.h"
#include "telemetry/jsonlogsink.h"

namespace breakwater {
namespace {

double ratio(int part, int whole) noexcept
{
    return whole > 0 ? double(part) / double(whole) : 0.0;
}

} // namespace

void addBreakerMetrics(MetricsRegistry& registry, const CircuitBreaker& breaker)
{
    const CircuitBreaker* const b = &breaker;
    const MetricLabels service{{QStringLiteral("service"), breaker.service()}};
    registry.addGauge(QStringLiteral("breakwater_circuitbreaker_failure_rate"),
                      QStringLiteral("Failed calls in the breaker's sliding window, as a ratio "
                                     "from 0 to 1 (0 while the window is empty)"),
                      service, [b] {
                          const WindowCounts w = b->status().window;
                          return ratio(w.failures, w.calls);
                      });
    registry.addGauge(QStringLiteral("breakwater_circuitbreaker_slow_call_rate"),
                      QStringLiteral("Slow calls in the breaker's sliding window, as a ratio from "
                                     "0 to 1 (0 while the window is empty)"),
                      service, [b] {
                          const WindowCounts w = b->status().window;
                          return ratio(w.slowCalls, w.calls);
                      });
    const QString buffered = QStringLiteral("breakwater_circuitbreaker_buffered_calls");
    const QString bufferedHelp =
        QStringLiteral("Calls in the breaker's sliding window, by kind: successful or failed");
    registry.addGauge(buffered, bufferedHelp,
                      {service.front(), {QStringLiteral("kind"), QStringLiteral("successful")}},
                      [b] {
                          const WindowCounts w = b->status().window;
                          return double(w.calls - w.failures);
                      });
    registry.addGauge(buffered, bufferedHelp,
                      {service.front(), {QStringLiteral("kind"), QStringLiteral("failed")}},
                      [b] { return double(b->status().window.failures); });
}

void addPipelineMetrics(MetricsRegistry& registry, const CallPipeline& pipeline)
{
    const CallPipeline* const p = &pipeline;
    const MetricLabels service{{QStringLiteral("service"), pipeline.serviceName()}};
    registry.addGauge(QStringLiteral("breakwater_pipeline_queued_calls"),
                      QStringLiteral("Calls waiting for a free slot of the in-flight limit"),
                      service, [p] { return double(p->queuedCalls()); });
    registry.addGauge(QStringLiteral("breakwater_pipeline_calls_in_flight"),
                      QStringLiteral("Calls being attempted or waiting to retry"), service,
                      [p] { return double(p->callsInFlight()); });
}

void addEventStreamMetrics(MetricsRegistry& registry, const EventStream& stream)
{
    const EventStream* const s = &stream;
    registry.addGauge(QStringLiteral("breakwater_event_stream_queued_events"),
                      QStringLiteral("Events published and waiting for the sinks (the log, "
                                     "alerts, metrics, the dashboard)"),
                      {}, [s] { return double(s->queuedCount()); });
    registry.addCounter(QStringLiteral("breakwater_event_stream_published_events_total"),
                        QStringLiteral("Events published into the stream"), {},
                        [s] { return double(s->publishedCount()); });
    registry.addCounter(QStringLiteral("breakwater_event_stream_dropped_events_total"),
                        QStringLiteral("Events the stream shed because its sinks fell behind"), {},
                        [s] { return double(s->droppedCount()); });
}

void addLogMetrics(MetricsRegistry& registry, const JsonLogSink& log)
{
    const JsonLogSink* const l = &log;
    registry.addCounter(QStringLiteral("breakwater_log_written_events_total"),
                        QStringLiteral("Events written to app.log"), {},
                        [l] { return double(l->eventsWritten()); });
    registry.addCounter(QStringLiteral("breakwater_log_written_bytes_total"),
                        QStringLiteral("Bytes written to app.log"), {},
                        [l] { return double(l->bytesWritten()); });
    registry.addCounter(QStringLiteral("breakwater_log_write_errors_total"),
                        QStringLiteral("Writes to app.log that failed"), {},
                        [l] { return double(l->writeErrors()); });
    registry.addCounter(QStringLiteral("breakwater_log_dropped_events_total"),
                        QStringLiteral("Log lines given up because writes kept failing and the "
                                       "buffer was full"),
                        {}, [l] { return double(l->eventsDropped()); });
}

void addAlertMetrics(MetricsRegistry& registry, const AlertManager& alerts)
{
    const AlertManager* const a = &alerts;
    registry.addGauge(QStringLiteral("breakwater_alert_deliveries_pending"),
                      QStringLiteral("Alert deliveries waiting in the channels' queues"), {},
                      [a] { return double(a->pendingDeliveries()); });
    registry.addGauge(QStringLiteral("breakwater_alerts_active"),
                      QStringLiteral("Alerts firing now"), {},
                      [a] { return double(a->activeAlerts().size()); });
}

void addSheetsMetrics(MetricsRegistry& registry, std::function<double()> queuedRows,
                      std::function<double()> droppedRows)
{
    registry.addGauge(QStringLiteral("breakwater_sheets_queued_rows"),
                      QStringLiteral("Rows waiting to be appended to the spreadsheet"), {},
                      std::move(queuedRows));
    registry.addCounter(
        QStringLiteral("breakwater_sheets_dropped_rows_total"),
        QStringLiteral("Rows given up: the queue full, a failed write, or rows unreadable"), {},
        std::move(droppedRows));
}

} // namespace breakwater
