#include "csvexportevents.h"
#include "log/logfilterproxy.h"
#include "log/logtablemodel.h"
#include "log/logview.h"

#include <QAbstractButton>
#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace breakwater;
using namespace breakwater::csvtest;
using namespace breakwater::csvexporttest;

namespace {

constexpr int kFinishTimeoutMs = 120'000; // a debug build on a busy 2-core machine

// Answers what LogView::exportCsv() asks, as an operator would: the file (through the view's
// file chooser, see LogView::setFileChooser) with a path, the scope question with one of its
// buttons. Any other message box is noted and closed, so a test that expects none fails instead
// of hanging in a modal loop.
class DialogAnswerer final : public QObject
{
public:
    DialogAnswerer(LogView& view, QString path, QString scopeButton)
        : m_path(std::move(path))
        , m_scopeButton(std::move(scopeButton))
    {
        view.setFileChooser([this](QWidget*, const QString& suggested) {
            ++fileDialogs;
            suggestedName = suggested;
            return m_path;
        });
        connect(&m_timer, &QTimer::timeout, this, &DialogAnswerer::answer);
        m_timer.start(10);
    }

    int fileDialogs = 0;
    QString suggestedName;
    int scopeQuestions = 0;
    QStringList otherMessages;

private:
    void answer()
    {
        QWidget* modal = QApplication::activeModalWidget();
        if (!modal || modal == m_answering)
            return;
        if (auto* box = qobject_cast<QMessageBox*>(modal)) {
            if (box->icon() == QMessageBox::Question) {
                ++scopeQuestions;
                for (QAbstractButton* button : box->buttons()) {
                    if (button->text().startsWith(m_scopeButton)) {
                        later(box, [button] { button->click(); });
                        break;
                    }
                }
            } else {
                otherMessages.append(box->text());
                later(box, [box] { box->reject(); });
            }
        }
    }

    // Acts once this timer slot has returned: an answer can open the next modal dialog, and Qt
    // does not fire a timer again while its slot runs.
    template <typename Action> void later(QWidget* dialog, Action action)
    {
        m_answering = dialog;
        QTimer::singleShot(0, dialog, [this, action] {
            m_answering = nullptr;
            action();
        });
    }

    QString m_path;
    QString m_scopeButton;
    QTimer m_timer;
    QPointer<QWidget> m_answering; // answered, the answer not yet given
};

} // namespace

class TestLogViewExport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_dirs = 0;

    // A fresh directory per test, so a test can tell exactly what an export left in it.
    QString freshDir()
    {
        const QString dir = m_dir.filePath(QStringLiteral("d%1").arg(++m_dirs));
        return QDir().mkpath(dir) ? dir : QString();
    }

    static QString statusText(const LogView& view)
    {
        const auto* status = view.findChild<QLabel*>(QStringLiteral("exportStatus"));
        return status ? status->text() : QStringLiteral("<no status label>");
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Without its dialogs: the current filter or everything, one export at a time, the outcome
    // in the status line.
    void startExportWritesTheCurrentFilterOrEverything()
    {
        const std::vector<Event> events = hostileEvents(500);
        LogView view;
        view.appendEvents(events);
        LogFilterSettings filter;
        filter.minimumLevel = EventLevel::Error;
        view.proxy()->setSettings(filter);
        const int shown = view.proxy()->rowCount();
        QVERIFY(shown > 0 && shown < int(events.size()));

        const QString dir = freshDir();
        const QString filtered = dir + QStringLiteral("/filtered.csv");
        QSignalSpy finished(&view, &LogView::exportFinished);
        QVERIFY(view.startExport(filtered, ExportScope::CurrentFilter));
        QVERIFY(view.isExporting());
        QVERIFY(!view.startExport(dir + QStringLiteral("/second.csv"), ExportScope::Everything));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        QVERIFY(!view.isExporting());
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
        QCOMPARE(finished.at(0).at(1).toLongLong(), qint64(shown));
        QVERIFY2(statusText(view).contains(QDir::toNativeSeparators(filtered)),
                 qPrintable(statusText(view)));
        CsvReadBack read = readCsvWithPython(filtered);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(shown) + 1);
        QCOMPARE(read.records[0], headerCells());
        for (int row = 0; row < shown; ++row) {
            const int source = view.proxy()->mapToSource(view.proxy()->index(row, 0)).row();
            QCOMPARE(read.records[row + 1], expectedCells(events[std::size_t(source)]));
        }

        const QString everything = dir + QStringLiteral("/everything.csv");
        QVERIFY(view.startExport(everything, ExportScope::Everything));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kFinishTimeoutMs);
        QCOMPARE(finished.at(1).at(1).toLongLong(), qint64(events.size()));
        read = readCsvWithPython(everything);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), qsizetype(events.size()) + 1);
        for (std::size_t i = 0; i < events.size(); ++i)
            QCOMPARE(read.records[qsizetype(i) + 1], expectedCells(events[i]));
        QCOMPARE(entries(dir),
                 (QStringList{QStringLiteral("everything.csv"), QStringLiteral("filtered.csv")}));
    }

    // The operator's way in: the file dialog, then, with a filter set, the scope question.
    void exportCsvAsksForTheFileAndTheScope_data()
    {
        QTest::addColumn<QString>("button");
        QTest::addColumn<bool>("filtered");
        QTest::addRow("current filter") << QStringLiteral("Current filter") << true;
        QTest::addRow("everything") << QStringLiteral("Everything") << false;
    }
    void exportCsvAsksForTheFileAndTheScope()
    {
        QFETCH(QString, button);
        QFETCH(bool, filtered);
        const std::vector<Event> events = hostileEvents(300);
        LogView view;
        view.appendEvents(events);
        LogFilterSettings filter;
        filter.service = QStringLiteral("tts-b");
        view.proxy()->setSettings(filter);
        const int shown = view.proxy()->rowCount();
        QVERIFY(shown > 0 && shown < int(events.size()));

        const QString path = freshDir() + QStringLiteral("/asked.csv");
        DialogAnswerer answerer(view, path, button);
        QSignalSpy finished(&view, &LogView::exportFinished);
        view.exportCsv(); // returns once the dialogs are answered and the export is under way
        QCOMPARE(answerer.fileDialogs, 1);
        QVERIFY2(answerer.suggestedName.startsWith(QStringLiteral("breakwater-log-")) &&
                     answerer.suggestedName.endsWith(QStringLiteral(".csv")),
                 qPrintable(answerer.suggestedName));
        QCOMPARE(answerer.scopeQuestions, 1);
        QVERIFY(view.isExporting());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(2).toString()));
        const qint64 rows = filtered ? shown : qint64(events.size());
        QCOMPARE(finished.at(0).at(1).toLongLong(), rows);
        QCOMPARE(answerer.otherMessages, QStringList());
        const CsvReadBack read = readCsvWithPython(path);
        QVERIFY2(read.ok(), qPrintable(read.error));
        QCOMPARE(read.records.size(), rows + 1);
    }

    // Pressing Cancel on the progress dialog stops the export and keeps the old file; the
    // status line says so, and no warning box follows the operator's own decision.
    void cancelFromTheProgressDialogKeepsTheOldFile()
    {
        LogView view;
        view.appendEvents(largeEvents());
        const QString dir = freshDir();
        const QString path = dir + QStringLiteral("/cancelled.csv");
        const QByteArray old("old\r\n");
        writeFile(path, old);

        DialogAnswerer answerer(view, path, QString());
        QSignalSpy finished(&view, &LogView::exportFinished);
        view.exportCsv(); // no filter: no scope question
        QCOMPARE(answerer.fileDialogs, 1);
        QCOMPARE(answerer.scopeQuestions, 0);
        QVERIFY(view.isExporting());
        auto* progress = view.findChild<QProgressDialog*>();
        QVERIFY(progress);
        auto* cancel = progress->findChild<QPushButton*>();
        QVERIFY(cancel);
        cancel->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kFinishTimeoutMs);
        QVERIFY(!finished.at(0).at(0).toBool());
        QVERIFY(!view.isExporting());
        QCOMPARE(answerer.otherMessages, QStringList());
        QVERIFY2(statusText(view).contains(QStringLiteral("cancel"), Qt::CaseInsensitive),
                 qPrintable(statusText(view)));
        QCOMPARE(contents(path), old);
        QCOMPARE(entries(dir), QStringList{QStringLiteral("cancelled.csv")});
    }

    // Closing the window mid-export: the view's destructor stops the export, nothing is written.
    void destroyingTheViewMidExportWritesNothing()
    {
        auto view = std::make_unique<LogView>();
        view->appendEvents(largeEvents());
        const QString dir = freshDir();
        const QString path = dir + QStringLiteral("/closing.csv");
        QVERIFY(view->startExport(path, ExportScope::Everything));
        view.reset();
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(entries(dir), QStringList());
    }
};

QTEST_MAIN(TestLogViewExport)
#include "tst_logviewexport.moc"
