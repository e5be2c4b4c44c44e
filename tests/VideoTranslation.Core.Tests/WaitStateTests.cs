using VideoTranslation.Internal;
using VideoTranslation.Tests.Support;
using static VideoTranslation.Tests.Support.Harness;

namespace VideoTranslation.Tests;

/// <summary>
/// WaitState alone: what one wait has seen, fed by hand (no clock, no server), and the context and result it makes.
/// What the loop feeds it is in WaitLoopTests.
/// </summary>
public class WaitStateTests
{
    private static readonly Uri Server = new("http://jobs.test/");

    private static TranslationStatus At(double seconds, TranslationState state = TranslationState.Pending, string? raw = null) =>
        new(state, raw ?? state.ToString().ToLowerInvariant(), TestClock.T0 + Sec(seconds), new Uri(Server, "jobs/j/status"), "j");

    private static TranslationConnectionException Transient() => new TranslationConnectionException("down", Server, isTimeout: false);

    [Fact]
    public void A_new_wait_has_seen_nothing()
    {
        var wait = new WaitState();

        Assert.Equal((0, 0), (wait.Attempts, wait.ConsecutiveFailures));
        Assert.Null(wait.First);
        Assert.Null(wait.Previous);
        Assert.Null(wait.Last);
        Assert.Null(wait.LastError);
        Assert.Null(wait.LastPendingElapsed);
        Assert.Null(wait.LastCheckDuration);
        Assert.False(wait.LastAnswerChangedState);

        var context = wait.ToContext(TimeSpan.Zero, Server);
        Assert.Equal((0, 0), (context.Attempt, context.ConsecutiveFailures));
        Assert.Null(context.LastStatus);
        Assert.Null(context.LastCheckDuration);
        Assert.Same(Server, context.ServerUri);
    }

    [Fact]
    public void Attempts_count_every_check_started_and_failures_count_in_a_row_until_an_answer()
    {
        var wait = new WaitState();

        wait.CheckStarted(100);
        Assert.Equal((1, 0), (wait.Attempts, wait.ConsecutiveFailures));
        wait.Failed(Transient(), Ms(5));
        wait.CheckStarted(200);
        var second = Transient();
        wait.Failed(second, Ms(7));
        Assert.Equal((2, 2), (wait.Attempts, wait.ConsecutiveFailures));
        Assert.Same(second, wait.LastError);
        Assert.Equal(Ms(7), wait.LastCheckDuration);
        Assert.Equal(200, wait.LastCheckStarted);

        wait.CheckStarted(300);
        wait.Answered(At(3), Sec(3), Ms(2));
        Assert.Equal((3, 0), (wait.Attempts, wait.ConsecutiveFailures));
        Assert.Null(wait.LastError);
        Assert.Equal(Ms(2), wait.LastCheckDuration);

        wait.CheckStarted(400);
        wait.Failed(Transient(), Ms(1));
        Assert.Equal((4, 1), (wait.Attempts, wait.ConsecutiveFailures));
    }

    [Fact]
    public void First_previous_and_last_are_the_answers_and_failures_leave_them_alone()
    {
        var wait = new WaitState();
        TranslationStatus one = At(0), two = At(1), three = At(2);

        wait.CheckStarted(0);
        wait.Answered(one, TimeSpan.Zero, TimeSpan.Zero);
        Assert.Same(one, wait.First);
        Assert.Null(wait.Previous);
        Assert.Same(one, wait.Last);

        wait.CheckStarted(1);
        wait.Answered(two, Sec(1), TimeSpan.Zero);
        wait.CheckStarted(2);
        wait.Failed(Transient(), Ms(3));
        Assert.Same(one, wait.First);
        Assert.Same(one, wait.Previous);
        Assert.Same(two, wait.Last);

        wait.CheckStarted(3);
        wait.Answered(three, Sec(2), TimeSpan.Zero);
        Assert.Same(one, wait.First);
        Assert.Same(two, wait.Previous);
        Assert.Same(three, wait.Last);
    }

    [Fact]
    public void LastPendingElapsed_comes_only_from_pending_answers()
    {
        var wait = new WaitState();

        wait.CheckStarted(0);
        wait.Answered(At(0), TimeSpan.Zero, TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, wait.LastPendingElapsed);
        wait.CheckStarted(1);
        wait.Answered(At(1.5), Sec(1.5), TimeSpan.Zero);
        Assert.Equal(Sec(1.5), wait.LastPendingElapsed);

        wait.CheckStarted(2);
        wait.Failed(Transient(), Ms(1));
        Assert.Equal(Sec(1.5), wait.LastPendingElapsed);

        wait.CheckStarted(3);
        wait.Answered(At(4, TranslationState.Completed), Sec(4), TimeSpan.Zero);
        Assert.Equal(Sec(1.5), wait.LastPendingElapsed);
        Assert.Equal(Sec(4), wait.LastAnswerElapsed);
    }

    [Fact]
    public void A_first_answer_that_is_final_leaves_no_pending_elapsed()
    {
        var wait = new WaitState();
        wait.CheckStarted(0);
        wait.Answered(At(0, TranslationState.Error), TimeSpan.Zero, TimeSpan.Zero);

        Assert.Null(wait.LastPendingElapsed);
        Assert.Null(wait.ToContext(TimeSpan.Zero, Server).LastPendingElapsed);
    }

    [Fact]
    public void The_first_answer_is_a_change_the_same_state_again_is_not_and_history_keeps_the_changes()
    {
        var wait = new WaitState();
        TranslationStatus p0 = At(0), p1 = At(1), done = At(2, TranslationState.Completed);

        wait.CheckStarted(0);
        wait.Answered(p0, TimeSpan.Zero, TimeSpan.Zero);
        Assert.True(wait.LastAnswerChangedState);

        wait.CheckStarted(1);
        wait.Answered(p1, Sec(1), TimeSpan.Zero);
        Assert.False(wait.LastAnswerChangedState);

        wait.CheckStarted(2);
        wait.Failed(Transient(), Ms(1));
        wait.CheckStarted(3);
        wait.Answered(done, Sec(2), TimeSpan.Zero);
        Assert.True(wait.LastAnswerChangedState);

        Assert.Equal([p0, done], wait.ToResult().History);
    }

    [Fact]
    public void A_change_is_of_state_or_of_the_service_word_not_of_its_case_or_the_hints()
    {
        var wait = new WaitState();
        wait.CheckStarted(0);
        wait.Answered(At(0, TranslationState.Pending, "queued"), TimeSpan.Zero, TimeSpan.Zero);
        wait.CheckStarted(1);
        wait.Answered(new TranslationStatus(TranslationState.Pending, "QUEUED", TestClock.T0 + Sec(1), Server, "j", progress: 0.5), Sec(1), TimeSpan.Zero);
        bool caseOrHints = wait.LastAnswerChangedState;
        wait.CheckStarted(2);
        wait.Answered(new TranslationStatus(TranslationState.Pending, "running", TestClock.T0 + Sec(2), Server, "j", progress: 0.5), Sec(2), TimeSpan.Zero);

        Assert.False(caseOrHints);
        Assert.True(wait.LastAnswerChangedState);
    }

    [Fact]
    public void A_terminal_state_after_another_is_a_change()
    {
        var wait = new WaitState();
        wait.CheckStarted(0);
        wait.Answered(At(0, TranslationState.Completed), TimeSpan.Zero, TimeSpan.Zero);
        wait.CheckStarted(1);
        wait.Answered(At(1, TranslationState.Error), Sec(1), TimeSpan.Zero);

        Assert.True(wait.LastAnswerChangedState);
        Assert.Equal(2, wait.ToResult().History.Count);
    }

    [Fact]
    public void The_context_carries_every_field_and_the_elapsed_it_is_given()
    {
        var wait = new WaitState();
        TranslationStatus p0 = At(0), p1 = At(2);
        wait.CheckStarted(0);
        wait.Answered(p0, TimeSpan.Zero, Ms(10));
        wait.CheckStarted(1);
        wait.Answered(p1, Sec(2), Ms(20));
        wait.CheckStarted(2);
        wait.Failed(Transient(), Ms(30));

        var context = wait.ToContext(Sec(7), Server);

        Assert.Equal(3, context.Attempt);
        Assert.Equal(Sec(7), context.Elapsed); // now, not the last answer's time
        Assert.Same(p1, context.LastStatus);
        Assert.Same(p0, context.PreviousStatus);
        Assert.Same(p0, context.FirstStatus);
        Assert.Equal(1, context.ConsecutiveFailures);
        Assert.Equal(Sec(2), context.LastPendingElapsed);
        Assert.Equal(Ms(30), context.LastCheckDuration); // the failed check's
        Assert.Same(Server, context.ServerUri);
    }

    [Fact]
    public void The_result_is_as_of_the_last_answer_whatever_the_elapsed_of_the_context()
    {
        var wait = new WaitState();
        wait.CheckStarted(0);
        wait.Failed(Transient(), Ms(1));
        wait.CheckStarted(1);
        wait.Answered(At(1), Sec(1), TimeSpan.Zero);
        TranslationStatus done = At(3, TranslationState.Completed);
        wait.CheckStarted(2);
        wait.Answered(done, Sec(3), Ms(4));
        _ = wait.ToContext(Sec(9), Server); // e.g. the final context, after slow callbacks

        var result = wait.ToResult();

        Assert.Same(done, result.FinalStatus);
        Assert.Equal(Sec(3), result.Elapsed);
        Assert.Equal(3, result.Attempts); // the failed check counts
        Assert.Equal([TranslationState.Pending, TranslationState.Completed], result.History.Select(s => s.State));
    }

    [Fact]
    public void The_result_history_is_a_copy()
    {
        var wait = new WaitState();
        wait.CheckStarted(0);
        wait.Answered(At(0, TranslationState.Completed), TimeSpan.Zero, TimeSpan.Zero);
        var result = wait.ToResult();

        wait.CheckStarted(1);
        wait.Answered(At(1, TranslationState.Error), Sec(1), TimeSpan.Zero);

        Assert.Single(result.History);
    }
}
