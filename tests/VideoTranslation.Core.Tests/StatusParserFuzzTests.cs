using System.Text;
using VideoTranslation.Internal;

namespace VideoTranslation.Tests;

/// <summary>
/// Throws generated bodies at the status parser: whatever the bytes, the only exception that may come out is the
/// documented <see cref="TranslationProtocolException"/>, and whatever parses is a real state.
/// </summary>
public class StatusParserFuzzTests
{
    private static readonly Uri Uri = new("http://jobs.test/jobs/x/status");

    private static readonly string[] Seeds =
    [
        """{"result":"pending"}""",
        """{"result":"completed"}""",
        """{"result":"error"}""",
        """{"id":"a","result":"pending","progress":0.25,"etaSeconds":3.5}""",
        """{"result":"PENDING","etaSeconds":-1,"progress":7}""",
        """{"result":null}""",
        """[{"result":"pending"}]""",
        """{"result":"pending","nested":{"a":[1,2,{"b":null}]}}""",
    ];

    private static readonly string[] Fragments =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e309", "-0", "NaN", "\\u0000", "\\ud800", "\"result\"",
        "\"pending\"", "\"completed\"", "\"error\"", "\"etaSeconds\"", "\"progress\"", "\u00e9", "\ud83d\ude00", " ", "\t\n",
    ];

    public static TheoryData<int> FuzzSeeds() => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory]
    [MemberData(nameof(FuzzSeeds))]
    public void Generated_bodies_either_parse_to_a_real_state_or_raise_only_the_protocol_error(int seed)
    {
        var random = new Random(seed);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < 2_500; i++)
        {
            byte[] body = Generate(random);
            try
            {
                var result = StatusParser.Parse(Answer(body));
                Assert.True(Enum.IsDefined(result.State), $"seed {seed}, case {i}: state {result.State} is not a TranslationState");
                Assert.True(StatusParser.TryParseState(result.Raw, out var again) && again == result.State, $"seed {seed}, case {i}: raw '{result.Raw}' does not map to {result.State}");
                Assert.True(result.Progress is null or (>= 0 and <= 1), $"seed {seed}, case {i}: progress {result.Progress} outside [0,1]");
                Assert.True(result.Eta is null || result.Eta >= TimeSpan.Zero, $"seed {seed}, case {i}: negative eta {result.Eta}");
                parsed++;
            }
            catch (TranslationProtocolException ex)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message));
                Assert.Equal(Uri, ex.RequestUri);
                rejected++;
            }

            // Any other exception type escapes and fails the test, naming the seed through xunit's theory data.
        }

        // Not vacuous: the generator reaches both outcomes.
        Assert.True(parsed > 50, $"only {parsed} generated bodies parsed");
        Assert.True(rejected > 50, $"only {rejected} generated bodies were rejected");
    }

    [Fact]
    public void Deep_nesting_and_invalid_utf8_raise_the_protocol_error()
    {
        string deep = """{"result":"pending","x":""" + new string('[', 5_000) + new string(']', 5_000) + "}";
        byte[] invalidUtf8 = [.. "{\"result\":\""u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()];

        Assert.Throws<TranslationProtocolException>(() => StatusParser.Parse(Answer(Encoding.UTF8.GetBytes(deep))));
        Assert.Throws<TranslationProtocolException>(() => StatusParser.Parse(Answer(invalidUtf8)));
    }

    private static ServerAnswer Answer(byte[] body)
    {
        using var response = new HttpResponseMessage();
        return new ServerAnswer(Uri, "GET", DateTimeOffset.UnixEpoch, null, ResponseBody.Of(body), "application/json", response.Headers);
    }

    private static byte[] Generate(Random random)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]);
        int kind = random.Next(6);
        switch (kind)
        {
            case 0: // a valid seed as it is
                return bytes;
            case 1: // random bytes
            {
                var noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return noise;
            }

            case 2: // truncated
                return bytes[..random.Next(0, bytes.Length)];
            default: // mutated: flip bytes and splice fragments
            {
                var text = new StringBuilder(Encoding.UTF8.GetString(bytes));
                int edits = random.Next(1, 4);
                for (int e = 0; e < edits && text.Length > 0; e++)
                {
                    int at = random.Next(text.Length);
                    if (random.Next(2) == 0)
                    {
                        text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    }
                    else
                    {
                        text.Remove(at, Math.Min(random.Next(1, 4), text.Length - at));
                    }
                }

                byte[] mutated = Encoding.UTF8.GetBytes(text.ToString());
                if (kind == 5 && mutated.Length > 0)
                {
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256); // may break UTF-8
                }

                return mutated;
            }
        }
    }
}
