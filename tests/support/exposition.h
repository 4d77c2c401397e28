#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <vector>

namespace breakwater::testing {

using SeriesLabels = std::map<QString, QString>;

// One sample line of a Prometheus text exposition.
struct ExpositionSample
{
    QString name;
    SeriesLabels labels;
    double value = 0.0;
};

// A text exposition read back independently of the code that wrote it, strictly enough for the
// tests to trust: HELP and TYPE by family, every sample with its labels unescaped, and what did
// not parse.
struct Exposition
{
    std::map<QString, QString> types; // family -> counter, gauge, histogram, ...
    std::map<QString, QString> helps;
    std::vector<ExpositionSample> samples;
    QStringList errors;

    std::optional<double> value(const QString& name, const SeriesLabels& labels = {}) const
    {
        for (const ExpositionSample& sample : samples) {
            if (sample.name == name && sample.labels == labels)
                return sample.value;
        }
        return std::nullopt;
    }
    // The samples of `name` whose labels include every one of `labels`.
    std::vector<ExpositionSample> matching(const QString& name, const SeriesLabels& labels) const
    {
        std::vector<ExpositionSample> out;
        for (const ExpositionSample& sample : samples) {
            if (sample.name != name)
                continue;
            bool all = true;
            for (const auto& [key, wanted] : labels) {
                const auto it = sample.labels.find(key);
                all = all && it != sample.labels.end() && it->second == wanted;
            }
            if (all)
                out.push_back(sample);
        }
        return out;
    }
    double sum(const QString& name, const SeriesLabels& labels = {}) const
    {
        double total = 0.0;
        for (const ExpositionSample& sample : matching(name, labels))
            total += sample.value;
        return total;
    }
};

namespace detail {

// name{a="x",b="y"} value: the labels from just after '{' to just after '}'. False if malformed.
inline bool parseLabels(const QString& line, qsizetype& at, SeriesLabels& labels)
{
    while (at < line.size() && line[at] != u'}') {
        const qsizetype equals = line.indexOf(u'=', at);
        if (equals < 0 || equals + 1 >= line.size() || line[equals + 1] != u'"')
            return false;
        const QString key = line.mid(at, equals - at);
        QString value;
        qsizetype i = equals + 2;
        for (; i < line.size() && line[i] != u'"'; ++i) {
            if (line[i] == u'\\') {
                if (++i >= line.size())
                    return false;
                value += line[i] == u'n' ? QChar(u'\n') : line[i];
            } else {
                value += line[i];
            }
        }
        if (i >= line.size() || key.isEmpty() || labels.count(key))
            return false;
        labels[key] = value;
        at = i + 1;
        if (at < line.size() && line[at] == u',')
            ++at;
    }
    if (at >= line.size())
        return false;
    ++at; // '}'
    return true;
}

} // namespace detail

inline Exposition parseExposition(const QByteArray& text)
{
    Exposition out;
    if (!text.isEmpty() && !text.endsWith('\n'))
        out.errors << QStringLiteral("the last line does not end with a line break");
    const QStringList lines = QString::fromUtf8(text).split(u'\n', Qt::SkipEmptyParts);
    for (const QString& line : lines) {
        if (line.startsWith(u"# HELP ") || line.startsWith(u"# TYPE ")) {
            const QString rest = line.mid(7);
            const qsizetype space = rest.indexOf(u' ');
            const QString name = space < 0 ? rest : rest.left(space);
            const QString what = space < 0 ? QString() : rest.mid(space + 1);
            auto& into = line.startsWith(u"# HELP ") ? out.helps : out.types;
            if (into.count(name))
                out.errors << QStringLiteral("declared twice: ") + line;
            into[name] = what;
            continue;
        }
        if (line.startsWith(u'#'))
            continue;
        ExpositionSample sample;
        qsizetype at = 0;
        while (at < line.size() && line[at] != u'{' && line[at] != u' ')
            ++at;
        sample.name = line.left(at);
        if (at < line.size() && line[at] == u'{' &&
            !detail::parseLabels(line, ++at, sample.labels)) {
            out.errors << QStringLiteral("bad labels: ") + line;
            continue;
        }
        bool ok = false;
        const QString value = line.mid(at).trimmed();
        sample.value = value == u"+Inf" ? qInf() : value.toDouble(&ok);
        if (!ok && value != u"+Inf") {
            out.errors << QStringLiteral("bad value: ") + line;
            continue;
        }
        out.samples.push_back(std::move(sample));
    }
    return out;
}

} // namespace breakwater::testing
