#pragma once

#include <QDir>
#include <QFile>
#include <QString>

#include <map>

namespace breakwater::bench {

// CPU seconds used so far by each of this process's threads, by thread name (threads of the same
// name are added up), read from /proc. Lets a benchmark say which thread's work a figure is.
inline std::map<QString, double> cpuSecondsByThread()
{
    std::map<QString, double> seconds;
    const double ticksPerSecond = 100.0; // USER_HZ on Linux
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString& tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(tid + QStringLiteral("/comm")));
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!comm.open(QIODevice::ReadOnly) || !stat.open(QIODevice::ReadOnly))
            continue;
        const QString name = QString::fromUtf8(comm.readAll()).trimmed();
        const QByteArray line = stat.readAll();
        // The fields after the parenthesised name: utime and stime are the 12th and 13th.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() < 13)
            continue;
        seconds[name] += (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticksPerSecond;
    }
    return seconds;
}

} // namespace breakwater::bench
