#include "sampledmetrics.h"

#include <algorithm>

namespace breakwater {

bool SampledMetrics::add(MetricKind kind, const std::string& name, const std::string& help,
                         std::vector<prometheus::ClientMetric::Label> labels,
                         std::function<double()> sample)
{
    std::sort(labels.begin(), labels.end());
    std::lock_guard lock(m_mutex);
    auto family = std::find_if(m_families.begin(), m_families.end(),
                               [&name](const Family& f) { return f.name == name; });
    if (family == m_families.end()) {
        m_families.push_back({name, help, kind, {}});
        family = std::prev(m_families.end());
    }
    const bool duplicate =
        std::any_of(family->series.begin(), family->series.end(),
                    [&labels](const Series& series) { return series.labels == labels; });
    if (duplicate)
        return false;
    family->series.push_back({std::move(labels), std::move(sample)});
    return true;
}

std::vector<prometheus::MetricFamily> SampledMetrics::Collect() const
{
    std::lock_guard lock(m_mutex);
    std::vector<prometheus::MetricFamily> families;
    families.reserve(m_families.size());
    for (const Family& family : m_families) {
        prometheus::MetricFamily& out = families.emplace_back();
        out.name = family.name;
        out.help = family.help;
        out.type = family.kind == MetricKind::Counter ? prometheus::MetricType::Counter
                                                      : prometheus::MetricType::Gauge;
        out.metric.reserve(family.series.size());
        for (const Series& series : family.series) {
            prometheus::ClientMetric& metric = out.metric.emplace_back();
            metric.label = series.labels;
            const double value = series.sample();
            if (family.kind == MetricKind::Counter)
                metric.counter.value = value;
            else
                metric.gauge.value = value;
        }
    }
    return families;
}

} // namespace breakwater
