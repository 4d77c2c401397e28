#include "metricsregistry.h"

#include "sampledmetrics.h"

#include <QDebug>

#include <algorithm>
#include <prometheus/check_names.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace breakwater {

std::string escapedHelp(const QString& help)
{
    std::string text;
    const QByteArray utf8 = help.toUtf8();
    text.reserve(std::size_t(utf8.size()));
    for (const char c : utf8) {
        if (c == '\\')
            text += "\\\\";
        else if (c == '\n')
            text += "\\n";
        else
            text += c;
    }
    return text;
}

MetricsRegistry::MetricsRegistry()
    : m_eventFamilies(std::make_shared<prometheus::Registry>())
    , m_sampled(std::make_unique<SampledMetrics>())
{}

MetricsRegistry::~MetricsRegistry() = default;

bool MetricsRegistry::addGauge(const QString& name, const QString& help, const MetricLabels& labels,
                               std::function<double()> sample)
{
    return addSampled(MetricKind::Gauge, name, help, labels, std::move(sample));
}

bool MetricsRegistry::addCounter(const QString& name, const QString& help,
                                 const MetricLabels& labels, std::function<double()> sample)
{
    if (!name.endsWith(u"_total")) {
        qWarning().noquote() << "metrics: a counter's name ends in _total:" << name;
        return false;
    }
    return addSampled(MetricKind::Counter, name, help, labels, std::move(sample));
}

bool MetricsRegistry::addSampled(MetricKind kind, const QString& name, const QString& help,
                                 const MetricLabels& labels, std::function<double()> sample)
{
    const std::string metricName = name.toStdString();
    std::vector<prometheus::ClientMetric::Label> converted;
    converted.reserve(labels.size());
    for (const MetricLabel& label : labels) {
        const std::string labelName = label.name.toStdString();
        if (!prometheus::CheckLabelName(labelName) || labelName == "le") {
            qWarning().noquote() << "metrics: invalid label name" << label.name << "on" << name;
            return false;
        }
        converted.push_back({labelName, label.value.toStdString()});
    }
    if (!sample || !prometheus::CheckMetricName(metricName) ||
        !claim(metricName, kind, Owner::Sampled)) {
        qWarning().noquote() << "metrics: cannot add" << name
                             << "(invalid name, no callback, or taken by another kind)";
        return false;
    }
    return m_sampled->add(kind, metricName, escapedHelp(help), std::move(converted),
                          std::move(sample));
}

bool MetricsRegistry::claimEventName(const std::string& name, MetricKind kind)
{
    return prometheus::CheckMetricName(name) && claim(name, kind, Owner::Events);
}

bool MetricsRegistry::claim(const std::string& name, MetricKind kind, Owner owner)
{
    std::lock_guard lock(m_mutex);
    const auto [it, inserted] = m_names.try_emplace(name, kind, owner);
    // One name is one family: sampled series of a name merge, the sink's families merge in
    // prometheus-cpp, but a name in both would print its HELP and TYPE twice.
    return inserted || it->second == std::pair(kind, owner);
}

void MetricsRegistry::addEventSource(std::shared_ptr<const prometheus::Collectable> source)
{
    std::lock_guard lock(m_mutex);
    m_eventSources.push_back(std::move(source));
}

QByteArray MetricsRegistry::scrape() const
{
    std::vector<prometheus::MetricFamily> families = m_eventFamilies->Collect();
    // prometheus-cpp keeps a family's series in a hash map: sorted, a scrape reads the same way
    // every time (outcomes together, buckets in order), for people and for diffs.
    for (prometheus::MetricFamily& family : families) {
        std::sort(family.metric.begin(), family.metric.end(),
                  [](const prometheus::ClientMetric& a, const prometheus::ClientMetric& b) {
                      return a.label < b.label;
                  });
    }
    std::vector<std::shared_ptr<const prometheus::Collectable>> sources;
    {
        std::lock_guard lock(m_mutex);
        sources = m_eventSources;
    }
    for (const auto& source : sources) {
        std::vector<prometheus::MetricFamily> more = source->Collect();
        std::move(more.begin(), more.end(), std::back_inserter(families));
    }
    std::vector<prometheus::MetricFamily> sampled = m_sampled->Collect();
    std::move(sampled.begin(), sampled.end(), std::back_inserter(families));

    const std::string text = prometheus::TextSerializer().Serialize(families);
    return QByteArray(text.data(), qsizetype(text.size()));
}

} // namespace breakwater
