#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace prometheus {
class Collectable;
class Registry;
} // namespace prometheus

namespace breakwater {

class SampledMetrics;

// One label of a series: {"service", "elevenlabs"}.
struct MetricLabel
{
    QString name;
    QString value;
};
using MetricLabels = std::vector<MetricLabel>;

// The kinds of metric a name can be claimed for.
enum class MetricKind : quint8
{
    Counter,
    Gauge,
    Histogram,
};

// The metrics of one process, ready to be scraped: the counters and histograms the MetricsSink
// keeps from the event stream, and series sampled when scraped from callbacks, for what is state
// rather than a stream of facts (a breaker window's failure rate, a queue's depth). Prometheus'
// text format 0.0.4 comes out of scrape(). Thread-safe.
//
// A callback may be called from the scraping thread (the endpoint's) until the registry is
// destroyed, so whatever it reads must outlive every scrape: stop the endpoint first.
class MetricsRegistry final
{
public:
    static constexpr QByteArrayView kContentType = "text/plain; version=0.0.4; charset=utf-8";

    MetricsRegistry();
    ~MetricsRegistry();
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;

    // A gauge read at each scrape. `sample` runs on the scraping thread with the registry's
    // sampling lock held: it must be thread-safe and quick, and must not call the registry.
    // Series of one name share the first help given. Returns false, adding nothing, when the
    // name or a label name breaks Prometheus' rules, the name is already taken by a metric of
    // another kind (or by the event metrics), or this label set is already there.
    bool addGauge(const QString& name, const QString& help, const MetricLabels& labels,
                  std::function<double()> sample);
    // The same for a counter: the name ends in `_total`, and `sample` never goes down (from one
    // start of what it reads to the next; Prometheus takes a reset for a restart).
    bool addCounter(const QString& name, const QString& help, const MetricLabels& labels,
                    std::function<double()> sample);

    // Every family in the text format, each name once, HELP and TYPE before its samples.
    QByteArray scrape() const;

    // For the event metrics (MetricsSink), which need prometheus-cpp's headers: the registry
    // their counters and histograms are built in, and families collected as they are scraped.
    prometheus::Registry& eventFamilies() { return *m_eventFamilies; }
    void addEventSource(std::shared_ptr<const prometheus::Collectable> source);
    // Whether `name` may be used for event metrics of that kind; claims it if so.
    bool claimEventName(const std::string& name, MetricKind kind);

private:
    enum class Owner : quint8
    {
        Events,
        Sampled
    };
    bool claim(const std::string& name, MetricKind kind, Owner owner);
    bool addSampled(MetricKind kind, const QString& name, const QString& help,
                    const MetricLabels& labels, std::function<double()> sample);

    const std::shared_ptr<prometheus::Registry> m_eventFamilies;
    const std::unique_ptr<SampledMetrics> m_sampled;

    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<const prometheus::Collectable>> m_eventSources; // guarded
    std::map<std::string, std::pair<MetricKind, Owner>> m_names;                // guarded
};

// Help text as the format wants it: a backslash and a line break escaped.
std::string escapedHelp(const QString& help);

} // namespace breakwater
