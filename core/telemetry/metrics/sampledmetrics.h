#pragma once

#include "metricsregistry.h"

#include <functional>
#include <mutex>
#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <string>
#include <vector>

namespace breakwater {

// Series whose values are read from callbacks when scraped (MetricsRegistry::addGauge and
// addCounter): the families, their label sets and the callbacks, and a Collect() that calls them.
// Registration and collection serialise on one lock; the callbacks run under it.
class SampledMetrics final : public prometheus::Collectable
{
public:
    SampledMetrics() = default;
    SampledMetrics(const SampledMetrics&) = delete;
    SampledMetrics& operator=(const SampledMetrics&) = delete;

    // Names and labels are valid already (the registry checked them). False if the label set is
    // there already, which would be a duplicate series.
    bool add(MetricKind kind, const std::string& name, const std::string& help,
             std::vector<prometheus::ClientMetric::Label> labels, std::function<double()> sample);

    std::vector<prometheus::MetricFamily> Collect() const override;

private:
    struct Series
    {
        std::vector<prometheus::ClientMetric::Label> labels; // sorted by name
        std::function<double()> sample;
    };
    struct Family
    {
        std::string name;
        std::string help;
        MetricKind kind = MetricKind::Gauge;
        std::vector<Series> series;
    };

    mutable std::mutex m_mutex;
    std::vector<Family> m_families; // guarded by m_mutex, in registration order
};

} // namespace breakwater
